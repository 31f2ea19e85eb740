import type { KindTypes } from '../model/kinds.js';
import type { KubernetesObject } from '../model/object.js';
import {
  formatSelector,
  type LabelSelectorObject,
  parseFieldSelector,
  parseLabelSelector,
} from '../selector/index.js';
import type { QuerySpec } from '../store/state.js';

/**
 * One field of a snapshot: a kind (any name kubectl accepts), optionally one namespace and label
 * and field selectors (kubectl syntax strings, or objects).
 */
export interface Query<Name extends string = string, Kind extends string = string> {
  /** The snapshot field it fills. */
  readonly name: Name;
  /** `svc`, `deployments.apps`, `Mapping`, ... */
  readonly kind: Kind;
  /** One namespace; all namespaces when absent. */
  readonly namespace?: string;
  /** `app=web,tier!=db`, or `{ matchLabels, matchExpressions }`. */
  readonly labelSelector?: string | LabelSelectorObject;
  /** `metadata.name=x,status.phase!=Running`, or `{ 'metadata.name': 'x' }`. */
  readonly fieldSelector?: string | Record<string, string>;
  /**
   * Watch metadata only (the API server's `PartialObjectMetadata`): names, labels, annotations,
   * owners, versions, and nothing of `spec`, `status` or `data`; a fraction of the memory and
   * bandwidth, for views and controllers that need no more. The objects are ordinary objects of
   * their kind, flagged `metadataOnly: true` (see `isMetadataOnly`), and the client's own writes of
   * the kind join them in that form. Field selectors: `metadata.name` and `metadata.namespace` only
   * for now (the store judges a query's selectors again on the objects it holds, and a metadata-only
   * object has no `status.phase` to judge).
   *
   * One client watches a kind either whole or metadata only: its store holds one object per uid.
   * A query asking for the other form fails (its status says why) until the first one is gone.
   */
  readonly metadataOnly?: boolean;
}

/** An object of a metadata-only query: its kind's `apiVersion` and `kind`, its `metadata`, the flag. */
export interface MetadataOnlyObject extends KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: NonNullable<KubernetesObject['metadata']>;
  readonly metadataOnly: true;
}

/** The object type of a query: a known alias, an untyped object, or metadata only. */
export type ObjectOfQuery<Q extends Query> = Q extends { readonly metadataOnly: true }
  ? MetadataOnlyObject
  : Q['kind'] extends keyof KindTypes
    ? KindTypes[Q['kind']]
    : KubernetesObject;

/** The snapshot an accumulator fills: one sorted, read-only array per query name. */
export type SnapshotOf<Qs extends readonly Query[]> = {
  [Q in Qs[number] as Q['name']]: readonly ObjectOfQuery<Q>[];
};

/**
 * Validates a query and puts its selectors in canonical form. A malformed selector or a missing
 * name is a programming error, so it throws at once, naming the query.
 */
export function normalizeQuery(q: Query): QuerySpec & { readonly metadataOnly?: true } {
  if (!q || typeof q.name !== 'string' || q.name === '')
    throw new TypeError('a query needs a name: the snapshot field it fills');
  if (typeof q.kind !== 'string' || q.kind === '')
    throw new TypeError(
      `query "${q.name}": a kind is needed, such as "svc", "deployments.apps" or a CRD's kind`,
    );
  let labelSelector: string;
  let fieldSelector: string;
  try {
    labelSelector = formatSelector(parseLabelSelector(q.labelSelector));
    fieldSelector = formatSelector(parseFieldSelector(q.fieldSelector));
  } catch (e) {
    throw new TypeError(`query "${q.name}": ${(e as Error).message}`);
  }
  return {
    name: q.name,
    kind: q.kind,
    ...(q.namespace ? { namespace: q.namespace } : {}),
    labelSelector,
    fieldSelector,
    // Carried beside the store's QuerySpec fields to the watch it binds (see watchKeyOf).
    ...(q.metadataOnly ? { metadataOnly: true as const } : {}),
  };
}

/** The identity of a watch: queries with equal keys share one. resourceVersion is not part of it. */
export function watchKeyOf(
  groupKind: string,
  spec: Pick<QuerySpec, 'namespace' | 'labelSelector' | 'fieldSelector'> & {
    readonly metadataOnly?: boolean;
  },
  namespaced = true,
): string {
  const ns = namespaced ? (spec.namespace ?? '') : '';
  // A metadata-only watch never serves a query of whole objects, nor the other way round.
  return `${groupKind}|${ns}|${spec.labelSelector}|${spec.fieldSelector}${spec.metadataOnly ? '|metadata' : ''}`;
}
