import type { ResourceType } from '../discovery/types.js';
import { apiVersionOf } from '../discovery/types.js';
import type { KubernetesObject, Status } from '../model/object.js';
import type { WatchEventPayload } from '../store/actions.js';
import { fromPartialObjectMetadata } from '../transport/media-type.js';

/** Changes objects as they arrive, before the store holds them (e.g. drop `managedFields`). */
export type ObjectTransform = (obj: KubernetesObject) => KubernetesObject;

/**
 * Drops `metadata.managedFields`: about half the retained memory of a typical object.
 *
 * `metadata` is rebuilt without the key (the other keys in their order) rather than the key
 * deleted: `delete` turns an object V8 made with a fast layout into a hash table, and 30k pods'
 * metadata held so took 26.5 MB against 15.8 MB rebuilt. The object itself is changed in place,
 * as before (its `metadata` replaced).
 */
export const dropManagedFields: ObjectTransform = (obj) => {
  const metadata = obj.metadata;
  if (metadata?.managedFields === undefined) return obj;
  const rest: Record<string, unknown> = {};
  // for-in over an object JSON.parse made: own keys only, in order, and cheaper than a rest spread.
  for (const key in metadata) {
    if (key !== 'managedFields') rest[key] = metadata[key as keyof typeof metadata];
  }
  obj.metadata = rest as typeof metadata;
  return obj;
};

/**
 * The transform of a metadata-only watch: `PartialObjectMetadata` from the API server becomes an
 * ordinary object of the watched kind, flagged `metadataOnly` (after `then`, the user's transform).
 */
export function metadataOnly(rt: ResourceType, then?: ObjectTransform): ObjectTransform {
  return (obj) => fromPartialObjectMetadata(then ? then(obj) : obj, rt);
}

/** What one watch line turned out to be. */
export type ParsedLine =
  | { readonly kind: 'event'; readonly event: WatchEventPayload }
  | { readonly kind: 'error'; readonly status: Status }
  | { readonly kind: 'poison'; readonly reason: string; readonly text: string };

/** Lists omit `apiVersion` and `kind` on items; the store and the snapshots always carry them. */
export function stampKind(obj: KubernetesObject, rt: ResourceType): KubernetesObject {
  if (!obj.apiVersion) obj.apiVersion = apiVersionOf(rt);
  if (!obj.kind) obj.kind = rt.kind;
  return obj;
}

const POISON_TEXT = 200;

const TYPE_KEY = '{"type":"';
const OBJECT_KEY = '","object":';

/**
 * The text of the object in a watch line written as kube-apiserver writes one,
 * `{"type":"MODIFIED","object":{...}}` with nothing else in it; undefined for any other shape (the
 * caller then serializes the object itself).
 */
function objectText(line: string, type: string, raw: object): string | undefined {
  const head = TYPE_KEY.length + type.length + OBJECT_KEY.length;
  if (line.charCodeAt(line.length - 1) !== 0x7d || line.charCodeAt(head) !== 0x7b) return undefined;
  if (!line.startsWith(TYPE_KEY) || !line.startsWith(OBJECT_KEY, TYPE_KEY.length + type.length))
    return undefined;
  let keys = 0;
  for (const _ in raw) keys++;
  return keys === 2 ? line.slice(head, -1) : undefined;
}

/**
 * Parses one line of a watch stream. Lines that are not JSON, events of unknown type, and objects
 * without `metadata.uid` are poison: reported, skipped, and the stream goes on.
 *
 * With `texts`, an object taken as it came (no transform, `apiVersion` and `kind` set) is mapped to
 * its text in the line, for a caller that sends it on as JSON (see {@link ReflectorOptions.objectTexts}).
 */
export function parseWatchLine(
  line: string,
  rt: ResourceType,
  transform?: ObjectTransform,
  texts?: WeakMap<object, string>,
): ParsedLine {
  let raw: { type?: unknown; object?: unknown };
  try {
    raw = JSON.parse(line);
  } catch (e) {
    return { kind: 'poison', reason: `not JSON (${(e as Error).message})`, text: line.slice(0, POISON_TEXT) };
  }
  const type = raw?.type;
  const object = raw?.object as KubernetesObject | undefined;
  if (type === 'ERROR') return { kind: 'error', status: (object ?? {}) as Status };
  if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED' && type !== 'BOOKMARK')
    return {
      kind: 'poison',
      reason: `unknown event type ${JSON.stringify(type)}`,
      text: line.slice(0, POISON_TEXT),
    };
  if (!object || typeof object !== 'object')
    return { kind: 'poison', reason: 'event without an object', text: line.slice(0, POISON_TEXT) };
  if (type === 'BOOKMARK') return { kind: 'event', event: { type, object } };
  if (!object.metadata?.uid)
    return { kind: 'poison', reason: 'object without metadata.uid', text: line.slice(0, POISON_TEXT) };
  if (texts && !transform && object.apiVersion && object.kind) {
    const text = objectText(line, type, raw);
    if (text !== undefined) texts.set(object, text);
  }
  const obj = stampKind(transform ? transform(object) : object, rt);
  return { kind: 'event', event: { type, object: obj } };
}
