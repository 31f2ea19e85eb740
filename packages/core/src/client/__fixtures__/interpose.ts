import type { Transport, TransportRequest } from '../../transport/types.js';

/**
 * A transport that runs `before` ahead of each request it forwards, to make another writer act at
 * an exact point (between a client's read and its write), and counts requests by method.
 */
export function interposing(
  inner: Transport,
  before: (req: TransportRequest) => Promise<void> | void,
): Transport & { readonly counts: Record<string, number> } {
  const counts: Record<string, number> = {};
  return {
    server: inner.server,
    counts,
    async request(req) {
      counts[req.method] = (counts[req.method] ?? 0) + 1;
      await before(req);
      return inner.request(req);
    },
  };
}
