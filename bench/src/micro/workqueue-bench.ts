import { ControllerMetrics, WorkQueue, type WorkQueueMetrics } from '@kates/controller';
import { Registry } from 'prom-client';
import { type Summary, summarize } from '../stats.js';

/**
 * Throughput of the controller work queue: how fast keys go from `add` through `get` and `done`,
 * with async workers as a controller runs them, with and without its Prometheus metrics.
 */
export interface WorkQueueBenchConfig {
  /** Distinct keys. */
  readonly keys: number;
  /** Adds of each key (the repeats are deduplicated while the key waits). */
  readonly addsPerKey: number;
  /** Workers taking keys at once. */
  readonly workers: number;
  /** Runs of each variant (the median is reported). */
  readonly runs: number;
}

export interface WorkQueueBenchResult {
  readonly config: WorkQueueBenchConfig;
  /** One `add`, mean µs (new keys and repeats), without metrics. */
  readonly addUs: Summary;
  /** Keys processed a second, end to end (add, get, an await, done), without and with metrics. */
  readonly keysPerSecond: Summary;
  readonly keysPerSecondWithMetrics: Summary;
  /** Every key was processed exactly once per run, never by two workers at once. */
  readonly correct: boolean;
}

async function once(config: WorkQueueBenchConfig, metrics?: WorkQueueMetrics) {
  const queue = new WorkQueue({ name: 'bench', ...(metrics ? { metrics } : {}) });
  const keys = Array.from({ length: config.keys }, (_, i) => `ns-${i % 50}/obj-${i}`);
  const processed = new Map<string, number>();
  const active = new Set<string>();
  let overlap = false;
  const t0 = performance.now();
  for (let r = 0; r < config.addsPerKey; r++) for (const k of keys) queue.add(k);
  const tAdded = performance.now();
  const worker = async () => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      if (active.has(key)) overlap = true;
      active.add(key);
      await Promise.resolve();
      active.delete(key);
      processed.set(key, (processed.get(key) ?? 0) + 1);
      queue.done(key);
      if (queue.length === 0 && queue.inFlight === 0) queue.shutDown();
    }
  };
  await Promise.all(Array.from({ length: config.workers }, worker));
  const t1 = performance.now();
  const correct = !overlap && processed.size === config.keys && [...processed.values()].every((n) => n === 1);
  return {
    addUs: ((tAdded - t0) * 1000) / (config.keys * config.addsPerKey),
    keysPerSecond: config.keys / ((t1 - t0) / 1000),
    correct,
  };
}

export async function runWorkQueueBench(config: WorkQueueBenchConfig): Promise<WorkQueueBenchResult> {
  const plain: Awaited<ReturnType<typeof once>>[] = [];
  const measured: Awaited<ReturnType<typeof once>>[] = [];
  for (let i = 0; i < config.runs; i++) {
    plain.push(await once(config));
    measured.push(await once(config, ControllerMetrics.of(new Registry()).workQueue('bench')));
  }
  return {
    config,
    addUs: summarize(plain.map((r) => r.addUs)),
    keysPerSecond: summarize(plain.map((r) => r.keysPerSecond)),
    keysPerSecondWithMetrics: summarize(measured.map((r) => r.keysPerSecond)),
    correct: [...plain, ...measured].every((r) => r.correct),
  };
}
