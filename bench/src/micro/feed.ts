import type { KubernetesObject } from '@kates/core';
import { type BenchKind, stored } from '../objects.js';
import { cachedLines } from './feed-cache.js';

/** Objects of a list are served in pages of this many, as the reflector asks for. */
export const PAGE_SIZE = 500;

/**
 * The pages of a LIST of `n` objects, each as the JSON text a server sends, one page at a time so
 * that only the parsed objects stay in memory (generated, or read from the feed cache:
 * feed-cache.ts). Objects have resourceVersions 1..n.
 */
export function* listPages(kind: BenchKind, n: number, namespace: string): Generator<string> {
  yield* cachedLines(`pages-${kind}-${n}-${namespace}`, n, () => generatePages(kind, n, namespace));
}

function* generatePages(kind: BenchKind, n: number, namespace: string): Generator<string> {
  for (let start = 0; start < n; start += PAGE_SIZE) {
    const items: KubernetesObject[] = [];
    for (let i = start; i < Math.min(n, start + PAGE_SIZE); i++)
      items.push(stored(kind, i, namespace, i + 1));
    yield JSON.stringify({
      apiVersion: 'v1',
      kind: `${kind}List`,
      metadata: { resourceVersion: String(n) },
      items,
    });
  }
}

/**
 * `count` watch lines (MODIFIED) that touch objects spread over the whole set, with resourceVersions
 * from `firstRv` up, as a watch stream carries them.
 */
export function eventLines(
  kind: BenchKind,
  n: number,
  namespace: string,
  count: number,
  firstRv: number,
): string[] {
  return [
    ...cachedLines(`events-${kind}-${n}-${namespace}-${count}-${firstRv}`, count, () =>
      generateEvents(kind, n, namespace, count, firstRv),
    ),
  ];
}

function* generateEvents(
  kind: BenchKind,
  n: number,
  namespace: string,
  count: number,
  firstRv: number,
): Generator<string> {
  for (let k = 0; k < count; k++) {
    const i = (k * 7919) % n;
    const obj = stored(kind, i, namespace, firstRv + k);
    obj.metadata!.annotations = { ...obj.metadata!.annotations, 'bench.kates.io/generation': String(k + 1) };
    yield JSON.stringify({ type: 'MODIFIED', object: obj });
  }
}
