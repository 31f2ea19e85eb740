import type { KubernetesObject } from '../model/object.js';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  type Selector,
} from '../selector/index.js';

const labelCache = new Map<string, Selector>();
const fieldCache = new Map<string, Selector>();

function cached(cache: Map<string, Selector>, text: string, parse: (t: string) => Selector): Selector {
  let sel = cache.get(text);
  if (!sel) {
    sel = parse(text);
    if (cache.size > 1000) cache.clear();
    cache.set(text, sel);
  }
  return sel;
}

/** What a query or a watch asks for: a namespace (or every one), a label and a field selector. */
export interface Selectors {
  readonly namespace?: string;
  readonly labelSelector: string;
  readonly fieldSelector: string;
}

/**
 * Whether an object belongs to a query's set, judged locally: namespace, label selector and field
 * selector. The same judgement the API server makes for a watch, so that local writes join only
 * the queries whose watch would deliver them.
 */
export function queryMatches(q: Selectors, obj: KubernetesObject): boolean {
  if (q.namespace && obj.metadata?.namespace !== q.namespace) return false;
  if (
    q.labelSelector &&
    !matchesLabels(cached(labelCache, q.labelSelector, parseLabelSelector), obj.metadata?.labels)
  )
    return false;
  if (q.fieldSelector && !matchesFields(cached(fieldCache, q.fieldSelector, parseFieldSelector), obj))
    return false;
  return true;
}
