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
}

/** The object type of a query's kind: a known alias, or an untyped object. */
export type ObjectOfQuery<Q extends Query> = Q['kind'] extends keyof KindTypes
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
export function normalizeQuery(q: Query): QuerySpec {
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
  };
}

/** The identity of a watch: queries with equal keys share one. resourceVersion is not part of it. */
export function watchKeyOf(
  groupKind: string,
  spec: Pick<QuerySpec, 'namespace' | 'labelSelector' | 'fieldSelector'>,
  namespaced = true,
): string {
  const ns = namespaced ? (spec.namespace ?? '') : '';
  return `${groupKind}|${ns}|${spec.labelSelector}|${spec.fieldSelector}`;
}
