import { ApiError } from '../errors/api-error.js';
import { isConflict } from '../errors/predicates.js';

/**
 * Runs `attempt` until it does not fail with 409 Conflict, at most `retries` more times, with a
 * short jittered pause between tries (client-go's `retry.DefaultRetry`: 10 ms, 10% jitter). When
 * the retries run out, the last conflict is thrown, its message saying how many attempts were made.
 */
export async function retryOnConflict<T>(
  verb: string,
  retries: number,
  attempt: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (e) {
      if (!isConflict(e) || signal?.aborted) throw e;
      if (tries > retries) {
        throw new ApiError(
          { ...e.toInit(), verb },
          `${verb}: gave up after ${tries} attempts, each answered with 409 ` +
            `Conflict (another writer keeps changing the object); last: ${e.message}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 10 * (1 + Math.random() * 0.1)));
    }
  }
}
