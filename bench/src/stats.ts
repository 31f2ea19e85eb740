import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** A measurement repeated: its median, with min and max. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

/** The `q` quantile (0..1) of `values`, nearest rank; NaN when there are none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/** Median, min and max of repeated measurements. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, n: sorted.length };
}

/** A median with its distribution-free confidence interval (see {@link medianInterval}). */
export interface MedianInterval {
  readonly median: number;
  /** The interval's ends: order statistics of the values. */
  readonly lo: number;
  readonly hi: number;
  readonly n: number;
}

/**
 * The median of `values` and a confidence interval for the median of the population they were
 * drawn from, assuming nothing of its shape: the order statistics x(k) and x(n+1-k) (1-based)
 * for the largest k with P(Binomial(n, 1/2) < k) <= (1 - confidence) / 2 (the sign test's
 * interval; covers with at least `confidence`). The whole range where n is too small for one
 * (n < 6 at 95%). Of paired differences (kates-ts minus a peer, per write both followed), an
 * interval that holds 0 says the runs cannot tell the peers apart. Proved by 'gives the sign
 * test's interval of the median' (stats.test.ts).
 */
export function medianInterval(values: readonly number[], confidence = 0.95): MedianInterval {
  const { median, n } = summarize(values);
  if (n === 0) return { median, lo: Number.NaN, hi: Number.NaN, n };
  const sorted = [...values].sort((a, b) => a - b);
  const tail = (1 - confidence) / 2;
  // P(B < k) for k = 1, 2, ...: pmf summed in log space (0.5^n underflows from n = 1075).
  let logPmf = n * Math.log(0.5);
  let below = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    below += Math.exp(logPmf);
    if (below > tail) break;
    k = i + 1;
    logPmf += Math.log((n - i) / (i + 1));
  }
  if (k === 0) return { median, lo: sorted[0]!, hi: sorted[n - 1]!, n };
  return { median, lo: sorted[k - 1]!, hi: sorted[n - k]!, n };
}

/**
 * The machine's monotonic clock (CLOCK_MONOTONIC), µs: one clock for every process on the machine
 * and never stepped, so a time stamped in one process (a write sent) and read in another (its
 * change signal) differ by what passed. Go kates' consumer reads the same clock (go-kates/main.go).
 * It was the wall clock as each process saw it at its start (`performance.timeOrigin`): a churn
 * run of 2026-12-06 05:35 measured every latency of every consumer at -15 to -17 ms, the clock
 * having been set back between the bench's start and its consumers'.
 */
export function nowMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/**
 * Minor page faults of this process so far (getrusage): where a snapshot read's fresh array lands
 * on memory the process has not touched yet, each 4 KB page of it is a fault. On this machine a
 * fault costs some 15 to 20 µs, and a 10k-slot array (80 KB) 19 to 20 of them: update() after one
 * change at 10k took 300 to 500 µs so, against 25 to 90 µs without (2026-12-06).
 */
export function minorPageFaults(): number {
  return process.resourceUsage().minorPageFault;
}

/** A consumer's read of its snapshot: what it returned, how long it took (µs), its page faults. */
export interface TimedRead<T> {
  readonly value: T;
  readonly us: number;
  readonly pageFaults: number;
}

/** Runs `read`, timed, with its minor page faults counted (the fault counter's reads are not timed). */
export function timedRead<T>(read: () => T): TimedRead<T> {
  const faults = minorPageFaults();
  const t = performance.now();
  const value = read();
  const us = (performance.now() - t) * 1000;
  return { value, us, pageFaults: minorPageFaults() - faults };
}

let collector: (() => void) | undefined;

/**
 * A full garbage collection: `gc` of `node --expose-gc`, or else one obtained by turning the flag
 * on at run time (V8 reads it when a context is created), so that tests can measure too.
 */
function collect(): (() => void) | undefined {
  if (collector) return collector;
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') {
    collector = exposed;
    return collector;
  }
  try {
    setFlagsFromString('--expose-gc');
    collector = runInNewContext('gc') as () => void;
  } catch {
    collector = undefined;
  }
  return collector;
}

/**
 * Resolves on a later turn of the event loop, after pending I/O: where a watch event comes, and
 * where kates makes the copy that a query's next change starts from (`SPARE_MIN` in its
 * incremental-items.ts), so a heap measured after it counts that copy.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Heap in use after two full collections. */
export function settledHeap(): number {
  const gc = collect();
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

/**
 * Touches every page of V8's young generation once, by allocating and dropping more than it holds;
 * returns the bytes allocated (counted at 8 a slot).
 *
 * Why: a full collection (`settledHeap`, which the consumers run after their bootstrap to measure
 * the heap) gives the young generation's pages back to the system, and so does its growth. Until
 * allocation has passed over each of them once, every 4 KB page an allocation reaches costs a
 * minor fault (15 to 20 µs here). A 10k-slot snapshot array is 20 pages: the reads of the phases
 * that followed took 300 to 500 µs instead of 25 to 90 µs, for as long as that first pass lasted.
 * Measured after a bootstrap of 10k ConfigMaps and the consumers' `gc()`, reading a 10k-item copy
 * with 100 KB of other garbage each time (2026-12-06): with a 67 MB young generation, 500 of the
 * first 600 reads faulted and none after; where it had grown to 134 MB at that `gc()` (kates-ts
 * after a streaming list, 2 of 4 processes), 830 of the first 1,100. Which peer's trickle fell in
 * that pass was an accident of its heap, not of its work. This puts the process back as it was
 * before the bench's own `gc()` (some 90 ms for a 67 MB young generation, 270 ms for 134 MB); a
 * growth later in the run is the process's own and stays measured.
 * Proved by 'leaves no page of the young generation untouched for the reads after it' (stats.test.ts).
 */
export function touchYoungGeneration(): number {
  const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  // Twice the space's size (both semispaces), counted at 8 bytes a slot as in Node's builds (no
  // pointer compression). 1.1 times left a third of the faults in the test below.
  const slots = 8192;
  const target = 2 * (young?.space_size ?? 0);
  let bytes = 0;
  while (bytes < target) bytes += new Array<number>(slots).fill(0).length * 8;
  return bytes;
}

/** Whether full collections can be forced: memory numbers need it. */
export function canCollect(): boolean {
  return collect() !== undefined;
}

/** Samples the resident set size every `everyMs` until stopped; returns the peak. */
export function samplePeakRss(everyMs = 50): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
  }, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}
