import type { Catalog } from './catalog.js';
import { singularOf } from './resolve.js';

/** Levenshtein distance, with an early exit once every entry of a row exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * The names the server serves that are closest to `input`: kinds, plurals, singulars, short names
 * and `resource.group`, within an edit distance that grows with the input's length. A first
 * segment that is itself a served name (`deployment.apps.v1`, `deploy/web`) suggests the
 * canonical `resource.group`.
 */
export function closestNames(catalog: Catalog, input: string, max = 3): string[] {
  const lower = input.trim().toLowerCase();
  const segment = lower.split(/[./]/)[0] ?? lower;
  const limit = Math.max(2, Math.floor(lower.length / 4));
  // Keyed in lower case, so `Deployment` and `deployment` count once; the first spelling stays.
  const scored = new Map<string, { name: string; score: number }>();
  const offer = (name: string, distance: number, rank: number) => {
    const score = distance * 10_000 + rank;
    const key = name.toLowerCase();
    const held = scored.get(key);
    if (distance <= limit && (!held || score < held.score))
      scored.set(key, { name: held?.name ?? name, score });
  };
  catalog.resources.forEach((rt, rank) => {
    const qualified = rt.group ? `${rt.resource}.${rt.group}` : rt.resource;
    const names = [rt.kind, rt.resource, singularOf(rt), ...(rt.shortNames ?? []), qualified];
    for (const name of names) offer(name, editDistance(lower, name.toLowerCase(), limit), rank);
    if (segment !== lower && names.some((n) => n.toLowerCase() === segment)) offer(qualified, 0, rank);
  });
  return [...scored.values()]
    .sort((a, b) => a.score - b.score)
    .slice(0, max)
    .map((s) => s.name);
}
