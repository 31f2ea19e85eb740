import type { QueryStatus } from '@kates/core';
import { type Clock, systemClock } from '../clock.js';
import type { Check } from './probes.js';

/** What the checks read of an accumulator. */
export interface WatchedSource {
  /** Every query has completed its initial list (or is unserved, unless waited for). */
  readonly ready: boolean;
  status(): Record<string, QueryStatus>;
}

/** The accumulators to check, by name, read each time a probe runs. */
export type WatchedSources = () => Iterable<readonly [name: string, source: WatchedSource]>;

/**
 * Readiness: every accumulator has bootstrapped (its `ready`: every query completed its first list),
 * so that the controller acts on a complete view, and no query is forbidden: an accumulator counts
 * a forbidden query as done, but a replica whose RBAC hides a kind from it should not count as
 * rolled out. Fails naming the queries still listing, and the forbidden ones.
 */
export function syncedCheck(sources: WatchedSources): Check {
  return () => {
    const waiting: string[] = [];
    const forbidden: string[] = [];
    for (const [name, source] of sources()) {
      const statuses = Object.values(source.status());
      for (const st of statuses)
        if (st.phase === 'forbidden') forbidden.push(`accumulator "${name}" query "${st.name}"`);
      if (source.ready) continue;
      const queries = statuses
        .filter((st) => !st.synced && st.phase !== 'forbidden')
        .map((st) => `${st.name} (${st.phase})`);
      waiting.push(`accumulator "${name}": ${queries.join(', ') || 'starting'}`);
    }
    const problems = [
      ...(forbidden.length > 0 ? [`forbidden to list ${forbidden.join(', ')} (check its RBAC)`] : []),
      ...(waiting.length > 0 ? [`waiting for the first list of ${waiting.join('; ')}`] : []),
    ];
    if (problems.length > 0) throw new Error(problems.join('; '));
  };
}

/** The phases in which a query's watch is failing. */
const FAILING: ReadonlySet<QueryStatus['phase']> = new Set(['backing-off', 'error']);

/** Options of {@link watchHealthCheck}. */
export interface WatchHealthOptions {
  /** How long a watch may fail without a break before the process counts as unhealthy (default 5 min). */
  readonly failingForMs?: number;
  readonly clock?: Clock;
}

/**
 * Liveness: no query's watch has been failing (backing off, or in error) for longer than
 * `failingForMs` without a break. The time is measured from the first probe that saw it failing,
 * so it counts only while probes run (the kubelet probes every 10 s by default). Forbidden and
 * unserved queries are not failures here: a restart would not fix RBAC or a missing CRD.
 */
export function watchHealthCheck(sources: WatchedSources, options: WatchHealthOptions = {}): Check {
  const failingForMs = options.failingForMs ?? 5 * 60_000;
  const clock = options.clock ?? systemClock;
  const since = new Map<string, number>();
  return () => {
    const now = clock.now();
    const seen = new Set<string>();
    const stuck: string[] = [];
    for (const [name, source] of sources()) {
      for (const st of Object.values(source.status())) {
        const id = `${name}/${st.name}`;
        if (!FAILING.has(st.phase)) continue;
        seen.add(id);
        const first = since.get(id) ?? now;
        since.set(id, first);
        if (now - first >= failingForMs) {
          const why = st.error?.message ? `: ${st.error.message}` : '';
          stuck.push(
            `accumulator "${name}" query "${st.name}" has been failing for ${Math.round((now - first) / 1000)} s ` +
              `(${st.attempt} attempts)${why}`,
          );
        }
      }
    }
    for (const id of since.keys()) if (!seen.has(id)) since.delete(id);
    if (stuck.length > 0) throw new Error(stuck.join('; '));
  };
}
