import type { MemoryConfig, MemoryResult } from '../micro/memory.js';
import type { PendingBenchConfig, PendingBenchResult } from '../micro/pending-bench.js';
import type { StoreBenchConfig, StoreBenchResult } from '../micro/store-bench.js';
import { inFreshProcess } from '../peers/worker-process.js';
import { errorText } from './context.js';

/** A micro-benchmark that failed (timeout, crash): reported, not fatal. */
export interface Failed<C> {
  readonly config: C;
  readonly error: string;
}

/** The store micro-benchmark (issue 4) of each config, each in a fresh process. */
export async function runStoreBenches(
  configs: readonly StoreBenchConfig[],
  log: (line: string) => void,
): Promise<(StoreBenchResult | Failed<StoreBenchConfig>)[]> {
  const out: (StoreBenchResult | Failed<StoreBenchConfig>)[] = [];
  for (const config of configs) {
    try {
      const nodeEnv = config.impl === 'kates-frozen' ? 'development' : 'production';
      const r = await inFreshProcess<StoreBenchResult>('store-bench', config, 600_000, nodeEnv);
      log(
        `store ${config.impl} ${config.kind} ${config.n}: ${r.single.us.median.toFixed(1)} us/event, ` +
          `${Math.round(r.batched.eventsPerSec)} events/s batched, update ${r.updateMs.median.toFixed(3)} ms`,
      );
      out.push(r);
    } catch (e) {
      log(`store ${config.impl} ${config.kind} ${config.n}: FAILED ${errorText(e)}`);
      out.push({ config, error: errorText(e) });
    }
  }
  return out;
}

/** Watch events while local writes wait, for each config, each in a fresh process. */
export async function runPendingBenches(
  configs: readonly PendingBenchConfig[],
  log: (line: string) => void,
): Promise<(PendingBenchResult | Failed<PendingBenchConfig>)[]> {
  const out: (PendingBenchResult | Failed<PendingBenchConfig>)[] = [];
  for (const config of configs) {
    try {
      const r = await inFreshProcess<PendingBenchResult>('pending-bench', config, 600_000);
      log(
        `pending ${config.pending} ${config.kind} ${config.n}: ${r.eventUs.median.toFixed(1)} us/event, ` +
          `${r.writeMeanUs.toFixed(1)} us/write, ${r.confirmMeanUs.toFixed(1)} us/confirmation`,
      );
      out.push(r);
    } catch (e) {
      log(`pending ${config.pending} ${config.kind} ${config.n}: FAILED ${errorText(e)}`);
      out.push({ config, error: errorText(e) });
    }
  }
  return out;
}

/** Retained memory per object of each config, each in a fresh process. */
export async function runMemories(
  configs: readonly MemoryConfig[],
  log: (line: string) => void,
): Promise<(MemoryResult | Failed<MemoryConfig>)[]> {
  const out: (MemoryResult | Failed<MemoryConfig>)[] = [];
  for (const config of configs) {
    try {
      const r = await inFreshProcess<MemoryResult>('memory', config, 600_000);
      log(
        `memory ${config.holder}${config.dropManagedFields ? ' -managedFields' : ''} ${config.kind} ${config.n}` +
          `${config.beside ? ` beside ${config.beside.n} ${config.beside.kind}s` : ''}: ` +
          `${Math.round(r.heapPerObject)} B/object (JSON ${Math.round(r.jsonPerObject)} B)`,
      );
      out.push(r);
    } catch (e) {
      log(`memory ${config.holder} ${config.kind} ${config.n}: FAILED ${errorText(e)}`);
      out.push({ config, error: errorText(e) });
    }
  }
  return out;
}

export function failed<C>(r: object): r is Failed<C> {
  return 'error' in r;
}
