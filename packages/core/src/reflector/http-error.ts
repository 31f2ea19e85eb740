import type { Status } from '../model/object.js';
import type { TransportResponse } from '../transport/types.js';

/** An HTTP error answered to a list or watch, with the Status the server sent. */
export class WatchHttpError extends Error {
  override readonly name = 'WatchHttpError';
  constructor(
    message: string,
    readonly code: number,
    readonly reason: string | undefined,
    /** Seconds from a Retry-After header, if any. */
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(message);
  }
}

/** Reads a failed response into a WatchHttpError naming what was asked. */
export async function httpErrorOf(res: TransportResponse, what: string): Promise<WatchHttpError> {
  let status: Status | undefined;
  try {
    status = JSON.parse(await res.text()) as Status;
  } catch {
    // not a Status body
  }
  const retryAfter = Number(res.headers['retry-after']);
  return new WatchHttpError(
    `${what}: ${res.status} ${status?.reason ?? ''} ${status?.message ?? ''}`.trim(),
    res.status,
    status?.reason,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
}

/** A Status received as an ERROR event inside a 200 watch stream. */
export function httpErrorOfStatus(status: Status, what: string): WatchHttpError {
  return new WatchHttpError(
    `${what}: ${status.code ?? ''} ${status.reason ?? ''} ${status.message ?? ''}`.trim(),
    status.code ?? 500,
    status.reason,
    undefined,
  );
}
