/** Backoff settings; the defaults are client-go's reflector's. */
export interface BackoffOptions {
  /** First wait, ms (default 800). */
  readonly initialMs?: number;
  /** Longest wait, ms (default 30 000). */
  readonly maxMs?: number;
  /** Healthy this long (ms) and the next failure starts again from `initialMs` (default 120 000). */
  readonly resetAfterMs?: number;
  /** Random source in [0, 1), for deterministic tests. */
  readonly random?: () => number;
}

/**
 * Exponential backoff with jitter: waits `initial * 2^(n-1)`, at most `max`, times a factor drawn
 * from [1, 2) so that many clients do not retry in step. The one backoff of the project.
 */
export class Backoff {
  private attempt = 0;
  private healthySince: number | undefined;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly resetAfterMs: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 800;
    this.maxMs = options.maxMs ?? 30_000;
    this.resetAfterMs = options.resetAfterMs ?? 120_000;
    this.random = options.random ?? Math.random;
  }

  /** Failed attempts in a row. */
  get attempts(): number {
    return this.attempt;
  }

  /** Records a failure; returns how long to wait, at least `floorMs` (a server's Retry-After). */
  failure(now = Date.now(), floorMs = 0): number {
    if (this.healthySince !== undefined && now - this.healthySince >= this.resetAfterMs) this.attempt = 0;
    this.healthySince = undefined;
    this.attempt++;
    const base = Math.min(this.maxMs, this.initialMs * 2 ** (this.attempt - 1));
    return Math.max(floorMs, Math.min(this.maxMs, base * (1 + this.random())));
  }

  /** Records that things work (a list completed, a watch delivered). */
  success(now = Date.now()): void {
    if (this.healthySince === undefined) this.healthySince = now;
    if (now - this.healthySince >= this.resetAfterMs) this.attempt = 0;
  }

  /** Forgets every failure. */
  reset(): void {
    this.attempt = 0;
    this.healthySince = undefined;
  }
}
