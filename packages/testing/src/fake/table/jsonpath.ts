import { isObject } from '../json.js';

/**
 * The JSONPath subset CRD printer columns use (`.spec.replicas`, `.status.conditions[0].type`,
 * `.status.conditions[?(@.type=="Ready")].status`, `.metadata.labels.app\.kubernetes\.io/name`):
 * the first value found, or undefined. Anything else finds nothing, as a path that does not match.
 */
type Step =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'filter'; readonly key: string; readonly value: string }
  | { readonly kind: 'all' };

function parse(path: string): Step[] | undefined {
  const steps: Step[] = [];
  let rest = path
    .trim()
    .replace(/^\{(.*)\}$/, '$1')
    .replace(/^\$/, '');
  while (rest.length > 0) {
    const field = /^\.((?:\\.|[^.[\\])+)/.exec(rest);
    if (field) {
      steps.push({ kind: 'field', name: (field[1] as string).replace(/\\(.)/g, '$1') });
      rest = rest.slice(field[0].length);
      continue;
    }
    const index = /^\[(\d+)\]/.exec(rest);
    if (index) {
      steps.push({ kind: 'index', index: Number(index[1]) });
      rest = rest.slice(index[0].length);
      continue;
    }
    const filter = /^\[\?\(@\.([\w.-]+)\s*==\s*["']([^"']*)["']\)\]/.exec(rest);
    if (filter) {
      steps.push({ kind: 'filter', key: filter[1] as string, value: filter[2] as string });
      rest = rest.slice(filter[0].length);
      continue;
    }
    if (rest.startsWith('[*]')) {
      steps.push({ kind: 'all' });
      rest = rest.slice(3);
      continue;
    }
    return undefined;
  }
  return steps;
}

/** The first value at `path` in `root`. */
export function findFirst(root: unknown, path: string): unknown {
  const steps = parse(path);
  if (!steps) return undefined;
  let values: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of values) {
      if (step.kind === 'field' && isObject(v) && v[step.name] !== undefined) next.push(v[step.name]);
      else if (step.kind === 'index' && Array.isArray(v) && step.index < v.length) next.push(v[step.index]);
      else if (step.kind === 'all' && Array.isArray(v)) next.push(...v);
      else if (step.kind === 'filter' && Array.isArray(v))
        next.push(...v.filter((item) => isObject(item) && String(item[step.key]) === step.value));
    }
    values = next;
  }
  return values[0];
}
