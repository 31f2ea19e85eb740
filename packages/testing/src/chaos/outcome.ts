import { ApiError, TransportError } from '@kates/core';

/**
 * Whether a failed write may still have happened. A request that got no HTTP answer (the
 * connection was cut, refused mid-request or lost while reading) may have reached the API server
 * and been committed; so may one answered 500, 503 or 504 (the server says a timed-out write "may
 * still be processing"). A 4xx answer is a refusal: nothing was written.
 */
export function isUnknownOutcome(error: unknown): boolean {
  if (error instanceof TransportError) return true;
  return error instanceof ApiError && error.code >= 500;
}
