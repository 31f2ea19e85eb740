/** One heap measurement: ms since the start of the run, and V8's used heap after a full GC. */
export interface HeapSample {
  readonly atMs: number;
  readonly heapUsed: number;
}

/**
 * The used heap after forced full collections (two: the first may only free what finalizers
 * then release). Needs `node --expose-gc`.
 * @throws Error when `gc` is not exposed.
 */
export function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function')
    throw new Error('measuring the heap needs a forced GC: run node with --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** The least-squares slope of heap over time, in bytes per minute; 0 for fewer than two samples. */
export function heapSlopeBytesPerMinute(samples: readonly HeapSample[]): number {
  const n = samples.length;
  if (n < 2) return 0;
  const xs = samples.map((s) => s.atMs / 60_000);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = samples.reduce((a, s) => a + s.heapUsed, 0) / n;
  let sxy = 0;
  let sxx = 0;
  samples.forEach((s, i) => {
    sxy += (xs[i]! - mx) * (s.heapUsed - my);
    sxx += (xs[i]! - mx) ** 2;
  });
  return sxx === 0 ? 0 : sxy / sxx;
}
