import {
  type KubernetesObject,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  type Selector,
  SelectorError,
} from '@kates/core';
import type { FieldReader, ServedResource } from './registry.js';
import { errors } from './status.js';

/** The selectors of a list or watch, parsed and checked against the fields the resource indexes. */
export interface ObjectFilter {
  readonly namespace: string | undefined;
  readonly labels: Selector;
  readonly fields: Selector;
  /** Whether an object is in the list or watch. */
  matches(obj: KubernetesObject): boolean;
  /** No label or field selector (a namespace alone still leaves remainingItemCount). */
  readonly unselective: boolean;
}

const META_FIELDS: Record<string, FieldReader> = {
  'metadata.name': (o) => o.metadata?.name ?? '',
  'metadata.namespace': (o) => o.metadata?.namespace ?? '',
};

/** Parses `labelSelector` and `fieldSelector` as the apiserver does; bad ones answer 400 BadRequest. */
export function objectFilter(
  r: ServedResource,
  namespace: string | undefined,
  params: URLSearchParams,
): ObjectFilter {
  let labels: Selector;
  let fields: Selector;
  try {
    labels = parseLabelSelector(params.get('labelSelector') ?? undefined);
    fields = parseFieldSelector(params.get('fieldSelector') ?? undefined);
  } catch (e) {
    if (e instanceof SelectorError) throw errors.badRequest(e.message);
    throw e;
  }
  const readers: Record<string, FieldReader> = { ...META_FIELDS, ...r.fieldSelectors };
  for (const req of fields) {
    if (readers[req.key]) continue;
    throw errors.badRequest(
      r.fieldLabelConversion
        ? `field label not supported: ${req.key}`
        : `"${req.key}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
    );
  }
  // Field values come through the resource's own readers (defaults such as spec.hostNetwork=false,
  // `source` read from source.component), laid out at their dotted paths for the one matcher.
  const fieldView = (obj: KubernetesObject): KubernetesObject => {
    const view: Record<string, unknown> = {};
    for (const req of fields) {
      const parts = req.key.split('.');
      let node = view;
      for (const p of parts.slice(0, -1)) {
        node[p] ??= {};
        node = node[p] as Record<string, unknown>;
      }
      node[parts[parts.length - 1] as string] = (readers[req.key] as FieldReader)(obj);
    }
    return view;
  };
  return {
    namespace,
    labels,
    fields,
    unselective: labels.length === 0 && fields.length === 0,
    matches(obj) {
      if (namespace && obj.metadata?.namespace !== namespace) return false;
      if (labels.length > 0 && !matchesLabels(labels, obj.metadata?.labels)) return false;
      return fields.length === 0 || matchesFields(fields, fieldView(obj));
    },
  };
}

/** `true`, `1`: how the apiserver reads boolean query parameters. */
export function booleanParam(params: URLSearchParams, name: string): boolean {
  const v = params.get(name);
  return v === 'true' || v === '1';
}
