import { apiVersionOf, type ResourceType } from '../discovery/types.js';
import type { KubernetesObject } from '../model/object.js';

/**
 * Content negotiation of the Kubernetes API: an `Accept` header names media ranges, and a range's
 * `as`, `g` and `v` parameters ask the API server to convert what it answers, for instance into
 * `PartialObjectMetadata` (metadata only) or a `Table`. The API server answers the first range it
 * can serve, and 406 Not Acceptable when it can serve none.
 */

/** One media range of an `Accept` header: `application/json;as=Table;g=meta.k8s.io;v=v1`. */
export interface MediaRange {
  /** `application/json`, `*\/*`... lowercased. */
  readonly type: string;
  /** Parameters, names lowercased, values as written (without quotes). */
  readonly params: Readonly<Record<string, string>>;
}

/** Parses an `Accept` header into its media ranges, in the order written; `[]` when absent. */
export function parseAccept(accept: string | undefined): MediaRange[] {
  if (!accept) return [];
  const ranges: MediaRange[] = [];
  for (const part of accept.split(',')) {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    if (!type) continue;
    const parsed: Record<string, string> = {};
    for (const p of params) {
      const eq = p.indexOf('=');
      if (eq <= 0) continue;
      parsed[p.slice(0, eq).trim().toLowerCase()] = p
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
    }
    ranges.push({ type: type.toLowerCase(), params: parsed });
  }
  return ranges;
}

/** Whether a range accepts JSON: `application/json`, `application/*` or `*\/*`. */
export function acceptsJson(range: MediaRange): boolean {
  return range.type === 'application/json' || range.type === 'application/*' || range.type === '*/*';
}

/** The `as` conversion a range asks for (`PartialObjectMetadataList`, `Table`...), with its group and version. */
export function conversionOf(range: MediaRange): { as: string; group: string; version: string } | undefined {
  const as = range.params.as;
  if (!as) return undefined;
  return { as, group: range.params.g ?? '', version: range.params.v ?? '' };
}

/** `Accept` of a metadata-only LIST: the API server answers a `PartialObjectMetadataList`. */
export const METADATA_LIST_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
/** `Accept` of a metadata-only WATCH (or GET): each object is a `PartialObjectMetadata`. */
export const METADATA_ACCEPT = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';

/** `apiVersion` of `PartialObjectMetadata` and its list. */
export const META_V1 = 'meta.k8s.io/v1';

/**
 * The object of a metadata-only query as kates holds it: an ordinary object of its own kind
 * (`apiVersion: v1`, `kind: Pod`), with the metadata the API server sent and `metadataOnly: true`
 * in place of everything else. Selectors, sorting and `nameOf` work on it as on a full object;
 * the flag says that `spec`, `status` and `data` are absent because they were not asked for.
 *
 * `managedFields` stay, as the API server sent them and as controller-runtime's metadata informers
 * keep them: they are most of a Pod's metadata, so a metadata-only Pod holds about 1/1.4 of a whole
 * one's memory with them, under a third without. A client that does not read them drops them with
 * its projection (`reflector: { transform: dropManagedFields }`), which applies to metadata-only
 * objects and write results alike (see `client/projection.ts`).
 */
export function fromPartialObjectMetadata(obj: KubernetesObject, rt: ResourceType): KubernetesObject {
  return {
    apiVersion: apiVersionOf(rt),
    kind: rt.kind,
    metadata: obj.metadata ?? {},
    metadataOnly: true,
  };
}

/** The API server's form of a metadata-only object (`meta.k8s.io/v1` `PartialObjectMetadata`). */
export function toPartialObjectMetadata(obj: KubernetesObject): KubernetesObject {
  return { kind: 'PartialObjectMetadata', apiVersion: META_V1, metadata: obj.metadata ?? {} };
}

/** Whether an object came from a metadata-only query (see {@link fromPartialObjectMetadata}). */
export function isMetadataOnly(obj: KubernetesObject): boolean {
  return (obj as { metadataOnly?: unknown }).metadataOnly === true;
}
