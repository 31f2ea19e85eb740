import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, createClient, isAlreadyExists, isNotFound, type KubernetesObject } from '@kates/core';
import { type Cluster, startCluster } from '../cluster/cluster.js';
import { SeededRandom } from '../fake/clock.js';
import { activeResources, awaitNoLeaks, type LeakedResource } from './handles.js';
import { type HeapSample, heapAfterGc, heapSlopeBytesPerMinute } from './heap.js';
import { trackWatchHealth } from './watch-health.js';

/**
 * The default heap bound, bytes per minute. The soak writes about 10 objects a second and its
 * watches see each write once or twice: some 1000 events a minute. A leak that kept anything of
 * each event (a parsed object is 1 KB or more; even a closure or a map entry is over 100 bytes)
 * grows the heap faster than 128 KiB a minute. A flat heap's least-squares slope over 15 minutes
 * of after-GC samples stays far below it (the after-GC noise is a few hundred KB, spread over
 * 15 minutes).
 */
export const SOAK_HEAP_BOUND_BYTES_PER_MINUTE = 128 * 1024;

/** Below this length of second half the heap's trend is not judged: too short to tell noise from growth. */
export const SOAK_MIN_JUDGED_MS = 5 * 60_000;

/** Options of {@link runSoak}. */
export interface SoakOptions {
  /** How long to churn, ms. */
  readonly durationMs: number;
  /** Heap sample interval, ms (default: a sixtieth of the duration, at least 1 s). */
  readonly sampleEveryMs?: number;
  /** An API server to use; by default the soak starts a kube-apiserver + etcd of its own. */
  readonly kubeconfigPath?: string;
  /** Writes a second (default 10). */
  readonly writesPerSecond?: number;
  /** The heap bound, bytes per minute (default {@link SOAK_HEAP_BOUND_BYTES_PER_MINUTE}). */
  readonly maxSlopeBytesPerMinute?: number;
  /** Measure the heap (needs `--expose-gc`; default: when `gc` is exposed). */
  readonly measureHeap?: boolean;
  readonly seed?: number;
  readonly onProgress?: (line: string) => void;
}

/** What a soak did and found. */
export interface SoakReport {
  readonly durationMs: number;
  readonly writes: number;
  readonly events: number;
  /** Snapshot reads by the consumers. */
  readonly reads: number;
  /** Short-lived accumulators opened and closed during the run. */
  readonly accumulatorsOpened: number;
  readonly samples: readonly HeapSample[];
  /** Whether the heap's trend was judged (the second half spans at least {@link SOAK_MIN_JUDGED_MS}). */
  readonly heapJudged: boolean;
  /** Least-squares slope of the second half of the samples, bytes per minute. */
  readonly slopeBytesPerMinute: number | undefined;
  readonly boundBytesPerMinute: number;
  /** Resource types (sockets, timers) held after every client and accumulator closed, beyond the start. */
  readonly leaked: readonly LeakedResource[];
  readonly ok: boolean;
}

/**
 * A soak: one kates client writes ConfigMaps and Secrets at a moderate rate (the population
 * stays bounded, so a flat heap is expected) while accumulators on the same client watch them
 * and consumers read every change; short-lived accumulators come and go. The heap is sampled
 * after forced GC; the run passes when the second half's slope is under the bound and, once the
 * client and accumulators are closed, the process holds no more sockets or timers than before.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const progress = options.onProgress ?? (() => undefined);
  const measureHeap = options.measureHeap ?? typeof (globalThis as { gc?: unknown }).gc === 'function';
  const sampleEveryMs = options.sampleEveryMs ?? Math.max(1000, Math.round(options.durationMs / 60));
  const bound = options.maxSlopeBytesPerMinute ?? SOAK_HEAP_BOUND_BYTES_PER_MINUTE;
  const random = new SeededRandom(options.seed ?? 7);
  const cluster: Cluster | undefined = options.kubeconfigPath
    ? undefined
    : await startCluster({ onProgress: progress });
  const kubeconfig = options.kubeconfigPath ?? cluster!.kubeconfigPath;
  const namespace = `soak-${Date.now().toString(36)}`;
  try {
    const before = activeResources();
    const client = createClient({ kubeconfig, namespace });
    const tracker = trackWatchHealth(client.store);
    const stop = new AbortController();
    let writes = 0;
    let reads = 0;
    let accumulatorsOpened = 0;
    const samples: HeapSample[] = [];
    let loops: Promise<unknown>[] = [];
    try {
      await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
      const watching = [
        client.watch(
          { name: 'configmaps', kind: 'cm', namespace },
          { name: 'secrets', kind: 'secret', namespace },
        ),
        client.watch({ name: 'red', kind: 'cm', namespace, labelSelector: 'soak-group=red' }),
      ];
      loops = [
        ...watching.map(async (acc) => {
          const snap: Record<string, readonly KubernetesObject[]> = {};
          for await (const _ of acc) {
            acc.update(snap);
            reads++;
          }
        }),
        churn(client, random, options.writesPerSecond ?? 10, stop.signal, () => writes++),
        comeAndGo(client, stop.signal, () => accumulatorsOpened++),
      ];
      const started = Date.now();
      const end = started + options.durationMs;
      while (Date.now() < end) {
        await sleep(Math.min(sampleEveryMs, Math.max(0, end - Date.now())));
        if (measureHeap) {
          const s = { atMs: Date.now() - started, heapUsed: heapAfterGc() };
          samples.push(s);
          progress(
            `soak: +${(s.atMs / 1000).toFixed(0)} s heap ${(s.heapUsed / 1048576).toFixed(1)} MiB, ${writes} writes, ` +
              `${tracker.current().events} events`,
          );
        }
      }
      stop.abort();
      for (const acc of watching) acc.close();
      await Promise.all(loops);
      await client.delete({ kind: 'Namespace', name: namespace }).catch(() => undefined);
    } finally {
      stop.abort();
      tracker.stop();
      client.close();
    }
    const events = tracker.current().events;
    const leaked = await awaitNoLeaks(before);
    const secondHalf = samples.slice(Math.floor(samples.length / 2));
    const span = secondHalf.length > 1 ? secondHalf.at(-1)!.atMs - secondHalf[0]!.atMs : 0;
    const heapJudged = measureHeap && span >= SOAK_MIN_JUDGED_MS && secondHalf.length >= 10;
    const slope = secondHalf.length > 1 ? heapSlopeBytesPerMinute(secondHalf) : undefined;
    return {
      durationMs: options.durationMs,
      writes,
      events,
      reads,
      accumulatorsOpened,
      samples,
      heapJudged,
      slopeBytesPerMinute: slope,
      boundBytesPerMinute: bound,
      leaked,
      ok: leaked.length === 0 && (!heapJudged || (slope ?? 0) <= bound),
    };
  } finally {
    await cluster?.stop();
  }
}

/** Writes at `perSecond`, keeping at most 40 ConfigMaps and 20 Secrets alive. */
async function churn(
  client: Client,
  random: SeededRandom,
  perSecond: number,
  signal: AbortSignal,
  wrote: () => void,
): Promise<void> {
  const live = { ConfigMap: new Set<string>(), Secret: new Set<string>() };
  const caps = { ConfigMap: 40, Secret: 20 };
  let serial = 0;
  while (!signal.aborted) {
    serial++;
    const kind = random.next() < 0.7 ? 'ConfigMap' : 'Secret';
    const names = [...live[kind]];
    const roll = random.next();
    const name = names[Math.floor(random.next() * names.length)];
    const labels = { 'soak-group': random.next() < 0.5 ? 'red' : 'blue' };
    const data =
      kind === 'ConfigMap'
        ? { serial: String(serial) }
        : { token: Buffer.from(`s${serial}`).toString('base64') };
    try {
      if (!name || (roll < 0.4 && names.length < caps[kind])) {
        const created = `${kind.toLowerCase()}-${serial}`;
        await client
          .create({ apiVersion: 'v1', kind, metadata: { name: created, labels }, data } as KubernetesObject)
          .catch((e: unknown) => {
            if (!isAlreadyExists(e)) throw e;
          });
        live[kind].add(created);
      } else if (roll < 0.8) {
        await client.patch({ kind, name }, { metadata: { labels }, data });
      } else {
        live[kind].delete(name);
        await client.delete({ kind, name });
      }
      wrote();
    } catch (e) {
      if (!isNotFound(e)) throw e;
      if (name) live[kind].delete(name);
    }
    await sleep(1000 / perSecond, undefined, { signal }).catch(() => undefined);
  }
}

/** Opens an accumulator every 2 s, waits for its first snapshot, reads it, and closes it. */
async function comeAndGo(client: Client, signal: AbortSignal, opened: () => void): Promise<void> {
  while (!signal.aborted) {
    const acc = client.watch({
      name: 'blue',
      kind: 'cm',
      namespace: client.namespace,
      labelSelector: 'soak-group=blue',
    });
    opened();
    try {
      await acc.changed();
      acc.update({});
    } finally {
      acc.close();
    }
    await sleep(2000, undefined, { signal }).catch(() => undefined);
  }
}

/** The soak report as a short table. */
export function formatSoakReport(r: SoakReport): string {
  const mib = (b: number) => `${(b / 1048576).toFixed(2)} MiB`;
  const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
  const first = r.samples[0];
  const last = r.samples.at(-1);
  const row = (label: string, value: string | number) => `  ${label.padEnd(30)} ${value}`;
  return [
    `soak: ${r.ok ? 'PASS' : 'FAIL'} (${(r.durationMs / 60_000).toFixed(1)} min)`,
    row('writes / events / reads', `${r.writes} / ${r.events} / ${r.reads}`),
    row('accumulators opened and closed', r.accumulatorsOpened),
    row(
      'heap after GC',
      first && last
        ? `${mib(first.heapUsed)} -> ${mib(last.heapUsed)} (${r.samples.length} samples)`
        : 'not measured (run node with --expose-gc)',
    ),
    row(
      'heap slope, second half',
      r.slopeBytesPerMinute === undefined
        ? 'n/a'
        : `${kib(r.slopeBytesPerMinute)}/min (bound ${kib(r.boundBytesPerMinute)}/min)` +
            (r.heapJudged ? '' : `; not judged: second half under ${SOAK_MIN_JUDGED_MS / 60_000} min`),
    ),
    row(
      'leaked after close',
      r.leaked.length === 0 ? 'none' : r.leaked.map((l) => `${l.type} ${l.before} -> ${l.after}`).join(', '),
    ),
  ].join('\n');
}
