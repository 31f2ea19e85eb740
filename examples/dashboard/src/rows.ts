import type { KubernetesObject } from '@kates/core/browser';

/** The rows a table shows: uids of the items that pass the filter, with their positions in the items. */
export interface Rows {
  readonly uids: readonly string[];
  readonly positions: readonly number[];
}

/** What the user filters on. */
export interface Filter {
  /** '' for all namespaces. */
  readonly namespace: string;
  /** A substring of the name, case-insensitive; '' for all. */
  readonly text: string;
}

const cache = new WeakMap<readonly KubernetesObject[], Map<string, Rows>>();

/**
 * The rows of `items` under `filter`, computed once per items array and filter (one pass), so
 * every component that asks during one change shares the work.
 */
export function rowsOf(items: readonly KubernetesObject[], filter: Filter): Rows {
  let perFilter = cache.get(items);
  if (!perFilter) {
    perFilter = new Map();
    cache.set(items, perFilter);
  }
  const key = `${filter.namespace}\u0000${filter.text}`;
  let rows = perFilter.get(key);
  if (!rows) {
    const text = filter.text.toLowerCase();
    const uids: string[] = [];
    const positions: number[] = [];
    items.forEach((obj, i) => {
      if (filter.namespace && obj.metadata?.namespace !== filter.namespace && obj.kind !== 'Namespace')
        return;
      if (text && !(obj.metadata?.name ?? '').toLowerCase().includes(text)) return;
      uids.push(obj.metadata?.uid ?? '');
      positions.push(i);
    });
    rows = { uids, positions };
    if (perFilter.size > 8) perFilter.clear();
    perFilter.set(key, rows);
  }
  return rows;
}

/** Equal rows: the table keeps its render when a change moved nothing. */
export function sameRows(a: Rows, b: Rows): boolean {
  if (a === b) return true;
  if (a.uids.length !== b.uids.length) return false;
  for (let i = 0; i < a.uids.length; i++)
    if (a.uids[i] !== b.uids[i] || a.positions[i] !== b.positions[i]) return false;
  return true;
}

/** Memoizes a summary of an items array (counts by phase, ...) per array. */
export function perItems<T>(
  fn: (items: readonly KubernetesObject[]) => T,
): (items: readonly KubernetesObject[]) => T {
  const memo = new WeakMap<readonly KubernetesObject[], T>();
  return (items) => {
    let value = memo.get(items);
    if (value === undefined) {
      value = fn(items);
      memo.set(items, value);
    }
    return value;
  };
}

/** Equal flat records of numbers. */
export function sameCounts(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
