import {
  type Accumulator,
  createBrowserTransport,
  createKatesStore,
  Discovery,
  type Query,
  type Transport,
} from '@kates/core';
import { createAccumulator, createWatchHost } from '@kates/core/internal';

/** A browser page of a dashboard, in Node: the browser transport through the proxy, a store, an accumulator. */
export interface PageSession {
  readonly acc: Accumulator;
  readonly transport: Transport;
  close(): void;
}

/** Opens a page on the proxy at `url` with `queries` (its first `acc.changed()` is its first complete view). */
export function openPage(url: string, queries: readonly Query[], fetchImpl?: typeof fetch): PageSession {
  const transport = createBrowserTransport({ baseUrl: url, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  const discovery = new Discovery(transport);
  const host = createWatchHost(transport, createKatesStore({ freeze: false }), (kind) =>
    discovery.resolve(kind),
  );
  const acc = createAccumulator(host, queries);
  return {
    acc,
    transport,
    close() {
      acc.close();
      void host.watches.stopAll();
      transport.close?.();
    },
  };
}
