import { formatSelector, parseFieldSelector, parseLabelSelector } from '@kates/core';
import { acceptsJson, conversionOf, parseAccept } from '@kates/core/internal';

/** A collection of the Kubernetes API, as a path names it. */
export interface Collection {
  /** `''` for the core group. */
  readonly group: string;
  readonly version: string;
  /** Plural resource name: `pods`. */
  readonly resource: string;
  /** From a `/namespaces/NS/RESOURCE` path; absent for all namespaces or a cluster-scoped kind. */
  readonly namespace?: string;
}

/** What a fan-out cache holds: a collection, its selectors, and whether only metadata is kept. */
export interface CollectionQuery extends Collection {
  /** Canonical (see `formatSelector`); `''` for none. */
  readonly labelSelector: string;
  readonly fieldSelector: string;
  /** `PartialObjectMetadata` rather than whole objects. */
  readonly metadataOnly: boolean;
}

/**
 * The collection a path names, or undefined for anything else (discovery, one object, a
 * subresource, the legacy `/watch/` paths): `/api/v1/pods`, `/api/v1/namespaces/ns/pods`,
 * `/apis/apps/v1/deployments`, `/api/v1/namespaces` (the namespaces themselves).
 */
export function collectionOf(pathname: string): Collection | undefined {
  const segs = pathname.split('/').slice(1);
  if (segs.some((s) => s === '' || s === '.' || s === '..')) return undefined;
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api' && segs.length >= 3) [group, version, rest] = ['', segs[1] as string, segs.slice(2)];
  else if (segs[0] === 'apis' && segs.length >= 4)
    [group, version, rest] = [segs[1] as string, segs[2] as string, segs.slice(3)];
  else return undefined;
  let decoded: string[];
  try {
    decoded = rest.map(decodeURIComponent);
  } catch {
    return undefined;
  }
  if (decoded.length === 1 && decoded[0] !== 'watch')
    return { group, version, resource: decoded[0] as string };
  if (decoded.length === 3 && decoded[0] === 'namespaces') {
    return { group, version, resource: decoded[2] as string, namespace: decoded[1] as string };
  }
  return undefined;
}

/**
 * Which form of the objects an `Accept` header asks for, if a fan-out cache can answer it:
 * whole objects (JSON first, or no header), or metadata only (`as=PartialObjectMetadataList` for a
 * list, `as=PartialObjectMetadata` for a watch, `meta.k8s.io/v1`). Undefined for the rest (a
 * Table, YAML, protobuf first, another version): those go to the API server as they are.
 */
export function viewOf(accept: string | undefined, verb: 'list' | 'watch'): 'full' | 'metadata' | undefined {
  const first = parseAccept(accept)[0];
  if (!first) return 'full';
  if (!acceptsJson(first)) return undefined;
  const conversion = conversionOf(first);
  if (!conversion) return 'full';
  const wanted = verb === 'list' ? 'PartialObjectMetadataList' : 'PartialObjectMetadata';
  return conversion.as === wanted && conversion.group === 'meta.k8s.io' && conversion.version === 'v1'
    ? 'metadata'
    : undefined;
}

/**
 * The query a LIST or WATCH asks for, with its selectors in canonical form (so that `a=1,b=2` and
 * `b=2, a=1` share a cache), or undefined when a cache cannot answer it (see {@link viewOf}, and a
 * malformed selector, which the API server words better).
 */
export function collectionQueryOf(
  collection: Collection,
  params: URLSearchParams | Readonly<Record<string, string>>,
  accept: string | undefined,
  verb: 'list' | 'watch',
): CollectionQuery | undefined {
  const get = (k: string) => (params instanceof URLSearchParams ? params.get(k) : params[k]) ?? '';
  const view = viewOf(accept, verb);
  if (!view) return undefined;
  let labelSelector: string;
  let fieldSelector: string;
  try {
    labelSelector = formatSelector(parseLabelSelector(get('labelSelector')));
    fieldSelector = formatSelector(parseFieldSelector(get('fieldSelector')));
  } catch {
    return undefined;
  }
  return { ...collection, labelSelector, fieldSelector, metadataOnly: view === 'metadata' };
}

/** The identity of a cache: resourceVersion is not part of it. */
export function keyOf(q: CollectionQuery): string {
  return [
    q.group,
    q.version,
    q.resource,
    q.namespace ?? '',
    q.labelSelector,
    q.fieldSelector,
    q.metadataOnly ? 'metadata' : 'full',
  ].join('|');
}

/** `pods in namespace "shop" (labels app=web)`: how messages name a query. */
export function describeQuery(q: CollectionQuery): string {
  const sel = [q.labelSelector && `labels ${q.labelSelector}`, q.fieldSelector && `fields ${q.fieldSelector}`]
    .filter(Boolean)
    .join(', ');
  return (
    `${q.resource}${q.group ? `.${q.group}` : ''}${q.namespace ? ` in namespace "${q.namespace}"` : ''}` +
    `${sel ? ` (${sel})` : ''}${q.metadataOnly ? ' [metadata only]' : ''}`
  );
}
