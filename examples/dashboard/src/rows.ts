import type { KubernetesObject } from '@kates/core/browser';
import { uidsOf } from '@kates/react';

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
/** The last rows computed for each filter, whatever the items: most changes move no row. */
const lastRows = new Map<string, Rows>();

/** `[0, 1, ..., n - 1]`, the positions of unfiltered rows, kept for the last length asked. */
let identity: readonly number[] = [];
function positionsUpTo(n: number): readonly number[] {
  if (identity.length !== n) identity = Object.freeze(Array.from({ length: n }, (_, i) => i));
  return identity;
}

/** The rows of every item: `uidsOf` follows the changed positions only, without reading 30k objects. */
function allRows(items: readonly KubernetesObject[], previous: Rows | undefined): Rows {
  const uids = uidsOf(items);
  if (previous?.uids === uids) return previous;
  return { uids, positions: positionsUpTo(uids.length) };
}

/**
 * The rows of `items` under `filter`, computed once per items array and filter, so every
 * component that asks during one change shares the work. When they are the rows computed last
 * for the filter (a watch event changed an object but moved none, the common case), those are
 * returned, and no new arrays of 30k entries each frame for the collector to follow. Unfiltered,
 * that costs a pointer comparison per item (the positions that changed are found once per
 * change for every hook, see `uidsOf`); filtered, one pass that reads each object.
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
    rows =
      filter.namespace || filter.text
        ? computeRows(items, filter, lastRows.get(key))
        : allRows(items, lastRows.get(key));
    if (perFilter.size > 8) perFilter.clear();
    perFilter.set(key, rows);
    if (lastRows.size > 8) lastRows.clear();
    lastRows.set(key, rows);
  }
  return rows;
}

/** One pass over `items`; `previous` itself when the rows are the same. */
function computeRows(items: readonly KubernetesObject[], filter: Filter, previous: Rows | undefined): Rows {
  const text = filter.text.toLowerCase();
  let uids: string[] | undefined;
  let positions: number[] | undefined;
  let n = 0;
  for (let i = 0; i < items.length; i++) {
    const obj = items[i] as KubernetesObject;
    if (filter.namespace && obj.metadata?.namespace !== filter.namespace && obj.kind !== 'Namespace')
      continue;
    if (text && !(obj.metadata?.name ?? '').toLowerCase().includes(text)) continue;
    const uid = obj.metadata?.uid ?? '';
    if (!uids && previous && previous.uids[n] === uid && previous.positions[n] === i) {
      n++;
      continue;
    }
    // The first difference: copy what matched so far, then go on building.
    if (!uids) {
      uids = previous ? previous.uids.slice(0, n) : [];
      positions = previous ? previous.positions.slice(0, n) : [];
    }
    uids.push(uid);
    positions?.push(i);
    n++;
  }
  if (!uids) {
    if (previous && previous.uids.length === n) return previous;
    return {
      uids: previous ? previous.uids.slice(0, n) : [],
      positions: previous ? previous.positions.slice(0, n) : [],
    };
  }
  return { uids, positions: positions ?? [] };
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
