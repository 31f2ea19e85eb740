import type { Transport } from '@kates/core';
import { isWatchRequest } from '@kates/core/internal';
import { isDiscoveryPath } from './fanout/discovery-cache.js';

/** What the proxy has asked of the API server since it started. */
export interface UpstreamCounts {
  /** Reads: GETs of collections (lists) and objects, but watches and discovery. */
  readonly reads: number;
  /** Watches started. */
  readonly watches: number;
  /** Watches open now. */
  readonly openWatches: number;
  /** Discovery documents (`/api`, `/apis`, group versions, `/version`). */
  readonly discovery: number;
  /** Writes, and access reviews. */
  readonly other: number;
}

/**
 * The proxy's transport to the API server, counting what it asks by kind of request: what the
 * fan-out saves is seen here (fifty pages, one watch), on status pages and in benchmarks.
 */
export function countingUpstream(inner: Transport): Transport & { readonly counts: UpstreamCounts } {
  const counts = { reads: 0, watches: 0, openWatches: 0, discovery: 0, other: 0 };
  return {
    server: inner.server,
    counts,
    close: () => inner.close?.(),
    async request(req) {
      if (!isWatchRequest(req)) {
        if (isDiscoveryPath(req.path)) counts.discovery++;
        else if (req.method === 'GET') counts.reads++;
        else counts.other++;
        return inner.request(req);
      }
      counts.watches++;
      counts.openWatches++;
      let open = true;
      const closed = () => {
        if (open) counts.openWatches--;
        open = false;
      };
      req.signal?.addEventListener('abort', closed, { once: true });
      try {
        const res = await inner.request(req);
        const batches = res.lineBatches?.bind(res);
        const readLines = res.readLines?.bind(res);
        return {
          ...res,
          async *lines() {
            try {
              yield* res.lines();
            } finally {
              closed();
            }
          },
          ...(batches && {
            async *lineBatches() {
              try {
                yield* batches();
              } finally {
                closed();
              }
            },
          }),
          ...(readLines && {
            readLines: (onLines: (lines: readonly string[]) => void) => readLines(onLines).finally(closed),
          }),
        };
      } catch (e) {
        closed();
        throw e;
      }
    },
  };
}
