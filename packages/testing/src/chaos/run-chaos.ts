import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, createClient, type KubernetesObject } from '@kates/core';
import { type Cluster, startCluster } from '../cluster/cluster.js';
import { SeededRandom } from '../fake/clock.js';
import { type FaultProxy, startFaultProxy } from '../proxy/fault-proxy.js';
import { kubeconfigVia } from '../proxy/kubeconfig-via.js';
import { explainMissing } from './explain.js';
import { runFaultSchedule } from './fault-schedule.js';
import {
  type CheckedAccumulator,
  checkConvergence,
  compareWithList,
  type Divergence,
  listQuery,
} from './invariants.js';
import { reconcilerCounts, reconcilerQueries, runReconciler } from './reconciler.js';
import type { ChaosReport } from './report.js';
import { runSlowConsumer, type SlowConsumerCounts } from './slow-consumer.js';
import { trackWatchHealth, type WatchHealthTracker } from './watch-health.js';
import { runWorkload, type WorkloadCounts } from './workload.js';
import { chaosWorld, createWorld, PARENT_SELECTOR, PARENT_UID_LABEL } from './world.js';

/** Options of {@link runChaos}. */
export interface ChaosOptions {
  /** How long to inject faults, ms (longer if needed until every kind has fired once). */
  readonly durationMs: number;
  /** Seeds the fault order, the proxy's random cuts and the workload (default: from the clock). */
  readonly seed?: number;
  /**
   * kube-apiserver's watch cache (default off). With it on, watches are served from memory and an
   * etcd compaction never reaches them (only a restart would show it); off, a watch that
   * reconnects after a compaction gets 410 Gone, which is the path this run must exercise.
   */
  readonly watchCache?: boolean;
  /** Every snapshot must equal a fresh LIST within this long after the faults stop, ms (default 10 000). */
  readonly convergenceTimeoutMs?: number;
  /** The slow consumer's reconcile time, ms (default 2000). */
  readonly slowConsumerSleepMs?: number;
  /** Pause between workload writes, ms (default 40). */
  readonly writeIntervalMs?: number;
  /** Health between faults, ms (default 1500). */
  readonly gapMs?: number;
  /** The reconciler's wait before deciding an unknown-outcome create by LIST, ms (default 3000). */
  readonly settleMs?: number;
  /**
   * The faulted client's longest watch backoff, ms (default 4000). client-go's 30 s cap, reached
   * after six failures in a row, would alone exceed a 10 s convergence bound after a fault storm.
   */
  readonly maxBackoffMs?: number;
  /** Progress lines (cluster start, each fault); nothing by default. */
  readonly onProgress?: (line: string) => void;
}

/**
 * A chaos run against a real kube-apiserver + etcd of its own (restarts and compactions disturb
 * no one else): a kates client behind a fault proxy watches ConfigMaps, Secrets, Services and a
 * CRD through several accumulators (label-selected, namespaced and across namespaces) and runs
 * a reconciler and a slow consumer, while a second client that goes straight to the API server
 * churns objects and a fault schedule cuts, slows, stalls and blackholes connections, restarts
 * kube-apiserver and compacts etcd.
 *
 * Then it checks the invariants: within `convergenceTimeoutMs` of the faults stopping, every
 * snapshot equals a fresh LIST (no missing object, no ghost, no stale version); the reconciler
 * made no duplicate child; each write was visible in the next snapshot; the slow consumer read
 * the newest state. The report says what was injected and seen; `ok` says whether it held.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const seed = options.seed ?? Date.now() % 1_000_000;
  const watchCache = options.watchCache ?? false;
  const convergenceTimeoutMs = options.convergenceTimeoutMs ?? 10_000;
  const sleepMs = options.slowConsumerSleepMs ?? 2000;
  const progress = options.onProgress ?? (() => undefined);
  const world = chaosWorld();
  const errors: string[] = [];
  const caught = (what: string) => (e: unknown) => {
    errors.push(`${what}: ${(e as Error)?.message ?? String(e)}`);
  };

  const cluster: Cluster = await startCluster({ watchCache, onProgress: progress });
  let proxy: FaultProxy | undefined;
  let direct: Client | undefined;
  let faulted: Client | undefined;
  let tracker: WatchHealthTracker | undefined;
  const checked: CheckedAccumulator[] = [];
  const stopWorkload = new AbortController();
  const stopConsumers = new AbortController();
  try {
    proxy = await startFaultProxy(
      { target: { host: '127.0.0.1', port: Number(new URL(cluster.server).port) } },
      seed,
    );
    direct = createClient({ kubeconfig: cluster.kubeconfigPath });
    await createWorld(direct, world);
    faulted = createClient({
      kubeconfig: kubeconfigVia(
        cluster.kubeconfigPath,
        proxy.port,
        join(cluster.dir, 'kubeconfig-via-proxy'),
      ),
      reflector: { backoff: { maxMs: options.maxBackoffMs ?? 4000 } },
    });
    tracker = trackWatchHealth(faulted.store);
    const client = faulted;
    for (const [name, queries] of Object.entries({
      ...world.accumulators,
      reconciler: reconcilerQueries(world.namespaceA),
    }))
      checked.push({ name, accumulator: client.watch(...queries), queries });
    await Promise.all(checked.map((c) => c.accumulator.changed()));
    const accumulatorOf = (name: string) => checked.find((c) => c.name === name)!;

    const reconciler = reconcilerCounts();
    const slow: SlowConsumerCounts = { reads: 0, staleReads: [] };
    const slowSnapshot: Record<string, readonly KubernetesObject[]> = {};
    let workload: WorkloadCounts = { creates: 0, updates: 0, deletes: 0, errors: 0 };
    const running = [
      runWorkload(direct, world, new SeededRandom(seed + 1), stopWorkload.signal, {
        writeIntervalMs: options.writeIntervalMs,
      }).then((counts) => {
        workload = counts;
      }, caught('the workload')),
      runReconciler(
        client,
        accumulatorOf('reconciler').accumulator,
        world.namespaceA,
        stopConsumers.signal,
        reconciler,
        { settleMs: options.settleMs },
      ).catch(caught('the reconciler')),
      runSlowConsumer(
        accumulatorOf('slow').accumulator,
        slowSnapshot,
        sleepMs,
        stopConsumers.signal,
        slow,
      ).catch(caught('the slow consumer')),
    ];

    progress(
      `chaos: seed ${seed}, ${options.durationMs} ms of faults, watch cache ${watchCache ? 'on' : 'off'}`,
    );
    const started = Date.now();
    const faults = await runFaultSchedule({
      proxy,
      cluster,
      random: new SeededRandom(seed),
      durationMs: options.durationMs,
      gapMs: options.gapMs,
      onFault: (kind, detail) =>
        progress(`chaos: +${((Date.now() - started) / 1000).toFixed(1)} s ${kind}: ${detail}`),
    }).finally(() => stopWorkload.abort());
    const faultsEnded = Date.now();
    await running[0];

    // Invariant 1: every snapshot equals a fresh LIST, within the bound.
    const remaining = () => Math.max(0, convergenceTimeoutMs - (Date.now() - faultsEnded));
    const store = client.store;
    const convergence = await checkConvergence(direct, checked, remaining(), undefined, (listed) =>
      explainMissing(store.getState().kates, listed),
    );
    const convergenceMs = convergence.convergedAfterMs === undefined ? undefined : Date.now() - faultsEnded;
    const divergences: Divergence[] = [...convergence.divergences];

    // Invariant 2: the reconciler settles with one child per parent, and never made two.
    const settled = await reconcilerSettled(direct, world.namespaceA, faultsEnded + convergenceTimeoutMs);

    // Invariant 3: the slow consumer's own reads reach the newest state within one of its turns.
    await sleep(sleepMs + 1000);
    for (const query of world.accumulators.slow!) {
      const d = compareWithList(slowSnapshot[query.name] ?? [], await listQuery(direct, query), {
        accumulator: 'slow, as its consumer read it',
        query: query.name,
        kind: query.kind,
      });
      if (d) divergences.push(d);
    }

    stopConsumers.abort();
    await Promise.all(running);
    const duplicates = [...new Set([...settled.duplicates, ...reconciler.duplicatesSeen])].sort();
    const watches = tracker.current();
    const report: ChaosReport = {
      seed,
      watchCache,
      faultPhaseMs: faultsEnded - started,
      faults,
      proxy: {
        connections: proxy.counters.connections,
        cuts: proxy.counters.cuts,
        blackholes: proxy.counters.blackholes,
      },
      workload,
      watches,
      reconciler,
      slowConsumer: { ...slow, sleepMs },
      objectsCompared: convergence.objectsCompared,
      convergenceMs,
      convergenceTimeoutMs,
      divergences,
      duplicates,
      unreconciled: settled.unreconciled,
      errors,
      ok: false,
    };
    return { ...report, ok: isClean(report) };
  } finally {
    // Loops stop before their accumulators close: a closed accumulator signals at once, forever.
    stopWorkload.abort();
    stopConsumers.abort();
    tracker?.stop();
    for (const c of checked) c.accumulator.close();
    faulted?.close();
    direct?.close();
    await proxy?.stop();
    await cluster.stop();
  }
}

function isClean(r: ChaosReport): boolean {
  return (
    r.convergenceMs !== undefined &&
    r.divergences.length === 0 &&
    r.duplicates.length === 0 &&
    r.unreconciled.length === 0 &&
    r.errors.length === 0 &&
    r.reconciler.coherenceViolations.length === 0 &&
    r.slowConsumer.staleReads.length === 0
  );
}

/**
 * Waits until, by LIST, every parent has exactly one child and no child outlives its parent, or
 * until `deadline`. Parents with two or more children are duplicates at once: no later state
 * can undo a duplicate create.
 */
async function reconcilerSettled(
  client: Client,
  namespace: string,
  deadline: number,
): Promise<{ duplicates: string[]; unreconciled: string[] }> {
  for (;;) {
    const parents = await client.list('cm', { namespace, labelSelector: PARENT_SELECTOR });
    const children = await client.list('cm', { namespace, labelSelector: PARENT_UID_LABEL });
    const byParent = new Map<string, string[]>();
    for (const c of children) {
      const p = c.metadata?.labels?.[PARENT_UID_LABEL] ?? '';
      byParent.set(p, [...(byParent.get(p) ?? []), c.metadata?.name ?? '']);
    }
    const nameOf = new Map(parents.map((p) => [p.metadata?.uid ?? '', p.metadata?.name ?? '']));
    const duplicates: string[] = [];
    const unreconciled: string[] = [];
    for (const [uid, kids] of byParent) {
      const parent = nameOf.get(uid);
      if (kids.length > 1)
        duplicates.push(`${namespace}/${parent ?? `(deleted parent ${uid})`}: ${kids.sort().join(', ')}`);
      if (parent === undefined)
        unreconciled.push(`children of deleted parent ${uid}: ${kids.sort().join(', ')}`);
    }
    for (const [uid, name] of nameOf)
      if (!byParent.has(uid)) unreconciled.push(`parent ${namespace}/${name} has no child`);
    if (duplicates.length > 0 || unreconciled.length === 0 || Date.now() >= deadline)
      return { duplicates, unreconciled };
    await sleep(250);
  }
}
