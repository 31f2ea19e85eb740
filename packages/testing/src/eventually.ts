/** Options of {@link eventually}. */
export interface EventuallyOptions {
  /** Give up after this long (default 30 s: a loaded two-core machine is slow, a hang is not). */
  readonly timeoutMs?: number;
  /** Pause between reads (default 50 ms). */
  readonly intervalMs?: number;
  /**
   * Errors of `read` that mean "not yet" (a NotFound before a controller creates the object, a
   * transient failure while it starts): retried. Any other error fails at once. Default: none.
   */
  readonly retryOn?: (error: unknown) => boolean;
}

const MAX_SHOWN = 500;

function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/**
 * Reads until `ok` holds of what `read` returns, and returns that value. For tests of things that
 * happen asynchronously on both servers (a controller's status, a CRD becoming Established): it
 * fails after the timeout naming `what` and the last value or error it saw, so a red test says
 * what it was waiting for.
 */
export async function eventually<T>(
  what: string,
  read: () => Promise<T>,
  ok: (value: T) => boolean = (value) => value !== undefined && value !== null && value !== false,
  options: EventuallyOptions = {},
): Promise<T> {
  const { timeoutMs = 30_000, intervalMs = 50, retryOn = () => false } = options;
  const deadline = Date.now() + timeoutMs;
  let last = 'nothing yet';
  for (;;) {
    try {
      const value = await read();
      if (ok(value)) return value;
      last = `last seen: ${shown(value)}`;
    } catch (error) {
      if (!retryOn(error)) throw error;
      last = `last error: ${error instanceof Error ? error.message : shown(error)}`;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not so after ${timeoutMs} ms; ${last}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
