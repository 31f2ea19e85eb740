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
 * the rest: what a list view shows, for a fraction of the memory.
 *
 * Keep every field a query's field selector names: the store judges selectors on the objects it
 * holds.
 *
 * @example
 * createClient({ reflector: { transform: keepFields(['spec.nodeName', 'status.phase', 'status.containerStatuses.ready']) } })
 */
export function keepFields(paths: readonly string[]): ObjectTransform {
  const tree = treeOf(paths);
  return (obj) => {
    const { managedFields: _, ...metadata } = obj.metadata ?? {};
    const out: Record<string, unknown> = { metadata };
    if (obj.apiVersion !== undefined) out.apiVersion = obj.apiVersion;
    if (obj.kind !== undefined) out.kind = obj.kind;
    for (const [key, sub] of tree) {
      if (key === 'metadata' || key === 'apiVersion' || key === 'kind') continue;
      const value = pick((obj as Record<string, unknown>)[key], sub);
      if (value !== undefined) out[key] = value;
    }
    return out as KubernetesObject;
  };
}

type PathTree = Map<string, PathTree>;

function treeOf(paths: readonly string[]): PathTree {
  const root: PathTree = new Map();
  for (const path of paths) {
    let node = root;
    for (const seg of path.split('.')) {
      if (!seg) throw new TypeError(`keepFields: "${path}" is not a dotted path`);
      const next = node.get(seg) ?? new Map();
      node.set(seg, next);
      node = next;
    }
  }
  return root;
}

/** The part of `value` that `tree` names: all of it at a leaf, each element of an array. */
function pick(value: unknown, tree: PathTree): unknown {
  if (value === undefined || tree.size === 0) return value;
  if (Array.isArray(value)) return value.map((v) => pick(v, tree));
  if (value === null || typeof value !== 'object') return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, sub] of tree) {
    const v = pick((value as Record<string, unknown>)[key], sub);
    if (v !== undefined) out[key] = v;
  }
  return out;
}
