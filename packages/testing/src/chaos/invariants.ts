import { setTimeout as sleep } from 'node:timers/promises';
import { type Accumulator, type Client, type KubernetesObject, nameOf, type Query } from '@kates/core';

/**
 * How one query's snapshot differs from a fresh LIST of the same query, by object: `namespace/name`
 * (never data: queries include Secrets).
 */
export interface Divergence {
  readonly accumulator: string;
  readonly query: string;
  readonly kind: string;
  /** Listed, but not in the snapshot. */
  readonly missing: readonly string[];
  /** In the snapshot, but not listed: a missed delete, or an object that left the selector. */
  readonly ghosts: readonly string[];
  /** In both, at another resourceVersion: `ns/name (snapshot 12, list 15)`. */
  readonly stale: readonly string[];
  /** Why each missing object may be missing, as the client's store saw it (see `explainMissing`). */
  readonly explained?: readonly string[];
}

/**
 * Compares a snapshot field with a LIST by `uid -> resourceVersion`. Returns undefined when they
 * hold the same objects at the same versions.
 */
export function compareWithList(
  snapshot: readonly KubernetesObject[],
  listed: readonly KubernetesObject[],
  where: Pick<Divergence, 'accumulator' | 'query' | 'kind'>,
): Divergence | undefined {
  const inList = new Map(listed.map((o) => [o.metadata?.uid ?? '', o]));
  const inSnapshot = new Map(snapshot.map((o) => [o.metadata?.uid ?? '', o]));
  const missing: string[] = [];
  const ghosts: string[] = [];
  const stale: string[] = [];
  for (const [uid, o] of inList) if (!inSnapshot.has(uid)) missing.push(nameOf(o));
  for (const [uid, o] of inSnapshot) {
    const l = inList.get(uid);
    if (!l) ghosts.push(nameOf(o));
    else if (l.metadata?.resourceVersion !== o.metadata?.resourceVersion)
      stale.push(
        `${nameOf(o)} (snapshot ${o.metadata?.resourceVersion}, list ${l.metadata?.resourceVersion})`,
      );
  }
  if (missing.length + ghosts.length + stale.length === 0) return undefined;
  return { ...where, missing: missing.sort(), ghosts: ghosts.sort(), stale: stale.sort() };
}

/** One accumulator to check: its name, and the queries it was made with. */
export interface CheckedAccumulator {
  readonly name: string;
  readonly accumulator: Accumulator;
  readonly queries: readonly Query[];
}

/** Lists what a query selects, through `client` (which should go straight to the API server). */
export async function listQuery(client: Client, query: Query): Promise<KubernetesObject[]> {
  return client.list(query.kind, {
    namespace: query.namespace ?? 'all',
    ...(query.labelSelector !== undefined ? { labelSelector: query.labelSelector } : {}),
    ...(query.fieldSelector !== undefined ? { fieldSelector: query.fieldSelector } : {}),
  });
}

/** The outcome of {@link checkConvergence}. */
export interface Convergence {
  /** ms from the start of the check until every query matched its LIST; undefined if never. */
  readonly convergedAfterMs: number | undefined;
  /** What still differed when time ran out (empty when converged). */
  readonly divergences: readonly Divergence[];
  /** Objects compared in the last pass. */
  readonly objectsCompared: number;
  /** Passes made. */
  readonly passes: number;
}

/**
 * Checks, again and again until they all match or `timeoutMs` passes, that every query of every
 * accumulator holds exactly what a fresh LIST returns. It reads each accumulator's current
 * snapshot with `getSnapshot()`, which does not consume its change signal (the consumers'
 * loops keep theirs). The LIST comes first: the snapshot read after it may only be older, and
 * an older snapshot is what a divergence is.
 */
export async function checkConvergence(
  client: Client,
  accumulators: readonly CheckedAccumulator[],
  timeoutMs: number,
  pollMs = 250,
  explain?: (listed: KubernetesObject) => string,
): Promise<Convergence> {
  const started = Date.now();
  let passes = 0;
  for (;;) {
    passes++;
    const divergences: Divergence[] = [];
    let objectsCompared = 0;
    for (const { name, accumulator, queries } of accumulators) {
      for (const query of queries) {
        const listed = await listQuery(client, query);
        const snapshot =
          (accumulator.getSnapshot() as Record<string, readonly KubernetesObject[]>)[query.name] ?? [];
        objectsCompared += listed.length;
        const d = compareWithList(snapshot, listed, {
          accumulator: name,
          query: query.name,
          kind: query.kind,
        });
        if (d) divergences.push(explain ? withExplanations(d, listed, explain) : d);
      }
    }
    const elapsed = Date.now() - started;
    if (divergences.length === 0) return { convergedAfterMs: elapsed, divergences, objectsCompared, passes };
    if (elapsed >= timeoutMs) return { convergedAfterMs: undefined, divergences, objectsCompared, passes };
    await sleep(pollMs);
  }
}

/** `d` with an explanation of each of its missing objects. */
function withExplanations(
  d: Divergence,
  listed: readonly KubernetesObject[],
  explain: (listed: KubernetesObject) => string,
): Divergence {
  if (d.missing.length === 0) return d;
  const missing = new Set(d.missing);
  const explained = listed.filter((o) => missing.has(nameOf(o))).map(explain);
  return { ...d, explained };
}
