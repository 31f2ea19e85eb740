import type { ResourceType } from '../discovery/types.js';
import type { KubernetesObject } from '../model/object.js';
import type { ObjectTransform } from '../reflector/ingest.js';
import { fromPartialObjectMetadata } from '../transport/media-type.js';

/**
 * Projection: what of each object a client's store keeps. It is applied once, where objects enter
 * the store: to every list item and watch event (the reflector's `transform`) and to every result
 * of the client's own writes, so an object reads the same whichever path brought it and a
 * snapshot never mixes forms.
 *
 * Why per client and not per query: the store holds one object per uid, shared by every query that
 * shows it. Two queries of one kind projecting differently would disagree about one object, as
 * whole and metadata-only queries would (which is why a client watches a kind in one form).
 */

/**
 * The form of one of the client's own write results as the store takes it: the client's
 * projection (`transform`), then `PartialObjectMetadata`'s form where the kind is watched metadata
 * only, in the order the reflector applies them to what the API server sends. A copy: the caller
 * keeps the object the write resolved with, and the store freezes what it holds.
 */
export function projectWriteResult(
  object: KubernetesObject,
  resource: ResourceType,
  transform: ObjectTransform | undefined,
  metadataOnly: boolean,
): KubernetesObject {
  const copy = structuredClone(object);
  const projected = transform ? transform(copy) : copy;
  return metadataOnly ? fromPartialObjectMetadata(projected, resource) : projected;
}

/**
 * A projection that keeps `apiVersion`, `kind`, `metadata` (without `managedFields`) and the
 * fields named by `paths` (dotted; a path through an array applies to each element), and drops
 * the rest: what a list view shows, for a fraction of the memory. It never changes the object it
 * reads (it may share parts of it), and applied to its own result it gives back that result.
 *
 * `metadata` is kept whole unless `paths` name fields of it (`metadata.creationTimestamp`): then
 * it keeps those and what every client needs of an object (`KEPT_METADATA`): its identity and
 * version (`uid`, `resourceVersion`), what selectors are judged on (`name`, `namespace`,
 * `labels`), and whether it is being deleted (`deletionTimestamp`). Owner references,
 * annotations and `generateName` are most of a pod's metadata; a list view seldom shows them.
 *
 * Keep every field a query's field selector names: the store judges selectors on the objects it
 * holds.
 *
 * An object already in the projection's form (one the kates proxy projected, `withProjection`)
 * is given back as it is, not copied: a list view of 30k pods would otherwise make each again,
 * and leave the parsed one to the collector.
 *
 * @example
 * createClient({ reflector: { transform: keepFields(['spec.nodeName', 'status.phase', 'status.containerStatuses.ready']) } })
 */
export function keepFields(paths: readonly string[]): ObjectTransform {
  const tree = treeOf(paths.filter((p) => !/^(metadata|apiVersion|kind)(\.|$)/.test(p)));
  const metadataTree = metadataTreeOf(paths);
  return (obj) => {
    if (isKept(obj, tree, metadataTree)) return obj;
    const out: Record<string, unknown> = {};
    if (obj.apiVersion !== undefined) out.apiVersion = obj.apiVersion;
    if (obj.kind !== undefined) out.kind = obj.kind;
    out.metadata = metadataTree
      ? keptMetadata(obj.metadata, metadataTree)
      : withoutManagedFields(obj.metadata);
    return pickInto(out, obj as Record<string, unknown>, tree) as KubernetesObject;
  };
}

/**
 * What a projection that names fields of `metadata` keeps of it besides them (see
 * {@link keepFields}); each whole, whatever paths under them are named.
 */
const KEPT_METADATA: readonly string[] = [
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'labels',
  'deletionTimestamp',
];

/** The tree of what is kept of `metadata`: undefined to keep it whole (without managedFields). */
function metadataTreeOf(paths: readonly string[]): PathTree | undefined {
  if (paths.includes('metadata')) return undefined;
  const named = paths.filter((p) => p.startsWith('metadata.')).map((p) => p.slice('metadata.'.length));
  if (named.length === 0) return undefined;
  return treeOf([
    ...KEPT_METADATA,
    ...named.filter((p) => !KEPT_METADATA.includes(p.split('.')[0] as string)),
  ]);
}

/** The part of `metadata` that `tree` names: itself when it holds nothing more. */
function keptMetadata(metadata: KubernetesObject['metadata'], tree: PathTree): KubernetesObject['metadata'] {
  if (!metadata) return {};
  return within(metadata, tree) ? metadata : pickInto({}, metadata as Record<string, unknown>, tree);
}

/**
 * Whether `obj` is in the projection's form already: it has `metadata` as the projection keeps it,
 * and no field outside `apiVersion`, `kind`, `metadata` and `tree`. Then projecting it would give
 * an equal object; it allocates nothing to find out.
 */
function isKept(obj: KubernetesObject, tree: PathTree, metadataTree: PathTree | undefined): boolean {
  const metadata = obj.metadata;
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) return false;
  if (metadataTree ? !within(metadata, metadataTree) : metadata.managedFields !== undefined) return false;
  const { keys, subs } = tree;
  for (const key in obj) {
    if (!Object.hasOwn(obj, key)) continue;
    const i = keys.indexOf(key);
    if (i < 0) {
      if (key === 'apiVersion' || key === 'kind' || key === 'metadata') continue;
      return false;
    }
    if (!within((obj as Record<string, unknown>)[key], subs[i] as PathTree)) return false;
  }
  return true;
}

/** Whether `pick(value, tree)` would give an equal value: nothing in it outside `tree`. */
function within(value: unknown, tree: PathTree): boolean {
  if (tree.keys.length === 0 || value === undefined) return true;
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (const element of value) if (!within(element, tree)) return false;
    return true;
  }
  const { keys, subs } = tree;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const i = keys.indexOf(key);
    if (i < 0 || !within((value as Record<string, unknown>)[key], subs[i] as PathTree)) return false;
  }
  return true;
}

/** `metadata` without `managedFields`: itself when it has none (an object already projected). */
function withoutManagedFields(metadata: KubernetesObject['metadata']): KubernetesObject['metadata'] {
  if (!metadata) return {};
  if (metadata.managedFields === undefined) return metadata;
  // A copy without the key, rather than `delete`, which would leave a slower, larger object.
  const { managedFields: _, ...rest } = metadata;
  return rest;
}

/**
 * The paths as a tree: at each node the keys to keep and, index for index, what to keep of each
 * (a leaf keeps all). Arrays walked by index: a list view projects 30k objects at once, and a
 * Map or tuple iteration per field cost ten times as much.
 */
interface PathTree {
  readonly keys: readonly string[];
  readonly subs: readonly PathTree[];
}

function treeOf(paths: readonly string[]): PathTree {
  type Building = Map<string, Building>;
  const root: Building = new Map();
  for (const path of paths) {
    let node = root;
    for (const seg of path.split('.')) {
      if (!seg) throw new TypeError(`keepFields: "${path}" is not a dotted path`);
      const next = node.get(seg) ?? new Map();
      node.set(seg, next);
      node = next;
    }
  }
  const freeze = (node: Building): PathTree => {
    const keys = [...node.keys()];
    return { keys, subs: keys.map((k) => freeze(node.get(k) as Building)) };
  };
  return freeze(root);
}

/** The part of `value` that `tree` names: all of it at a leaf, each element of an array. */
function pick(value: unknown, tree: PathTree): unknown {
  if (tree.keys.length === 0) return value;
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = pick(value[i], tree);
    return out;
  }
  return pickInto({}, value as Record<string, unknown>, tree);
}

/** Copies into `out` the part of `value` that `tree` names; returns `out`. */
function pickInto(
  out: Record<string, unknown>,
  value: Record<string, unknown>,
  tree: PathTree,
): Record<string, unknown> {
  const { keys, subs } = tree;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const v = value[key];
    if (v === undefined) continue;
    const kept = pick(v, subs[i] as PathTree);
    if (kept !== undefined) out[key] = kept;
  }
  return out;
}
