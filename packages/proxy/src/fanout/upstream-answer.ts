import type { Transport, TransportResponse } from '@kates/core';

/** The API server's last refusal of a cache's list or watch, as it answered it. */
export interface UpstreamRefusal {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: string;
}

/**
 * A cache's transport, which keeps the API server's last answer other than 200: a session asking
 * for a query the API server refuses (403, 404, 429...) gets that answer word for word, as a
 * direct request would have, rather than the cache's retelling of it.
 */
export function recordingRefusals(inner: Transport): Transport & { readonly lastRefusal?: UpstreamRefusal } {
  let lastRefusal: UpstreamRefusal | undefined;
  return {
    server: inner.server,
    get lastRefusal() {
      return lastRefusal;
    },
    async request(req) {
      const res = await inner.request(req);
      if (res.status === 200) return res;
      const body = await res.text();
      lastRefusal = { status: res.status, contentType: res.headers['content-type'], body };
      return replayed(res, body);
    },
  };
}

/** `res` with its body already read. */
function replayed(res: TransportResponse, body: string): TransportResponse {
  return {
    status: res.status,
    headers: res.headers,
    text: async () => body,
    async *lines() {
      for (const line of body.split('\n')) if (line) yield line;
    },
  };
}
