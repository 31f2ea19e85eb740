import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** Options of {@link startFaultProxy}. */
export interface FaultProxyOptions {
  /** Where to forward: the API server's host and port. */
  readonly target: { readonly host: string; readonly port: number };
  /** Port to listen on, 127.0.0.1 (random by default). */
  readonly port?: number;
}

/** What the proxy has done, for test reports. */
export interface FaultProxyCounters {
  connections: number;
  cuts: number;
  blackholes: number;
  bytesForwarded: number;
}

/**
 * A TCP proxy on loopback that forwards bytes unchanged (TLS passes through) and injects network
 * faults on command: cut every connection, cut at random, stall, add latency, blackhole.
 */
export interface FaultProxy {
  readonly port: number;
  readonly counters: Readonly<FaultProxyCounters>;
  /** Closes every open connection at once (RST), as a dropped network does. */
  cutAll(): void;
  /** Closes a random share (0 to 1) of the open connections, with a seeded choice. */
  cutRandom(share: number): void;
  /** Delays every chunk by `ms` in both directions (0 to stop). */
  setLatency(ms: number): void;
  /** Holds every byte (connections stay open, nothing moves) until `resume()`. */
  stall(): void;
  resume(): void;
  /** For `ms`, new connections are accepted and ignored and open ones stall, then all are cut. */
  blackhole(ms: number): Promise<void>;
  /** Open connections now. */
  readonly open: number;
  stop(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
}

/** Starts a fault-injecting TCP proxy in front of `target`. */
export async function startFaultProxy(options: FaultProxyOptions, seed = 1): Promise<FaultProxy> {
  const pairs = new Set<Pair>();
  const counters: FaultProxyCounters = { connections: 0, cuts: 0, blackholes: 0, bytesForwarded: 0 };
  let latency = 0;
  let stalled = false;
  let blackholed = false;
  const held: (() => void)[] = [];
  let state = seed >>> 0 || 1;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };

  const forward = (from: Socket, to: Socket) => {
    from.on('data', (chunk: Buffer) => {
      const send = () => {
        if (to.destroyed) return;
        counters.bytesForwarded += chunk.length;
        to.write(chunk);
      };
      if (stalled || blackholed) {
        from.pause();
        held.push(() => {
          from.resume();
          latency ? setTimeout(send, latency) : send();
        });
      } else if (latency) setTimeout(send, latency);
      else send();
    });
  };

  const cut = (pair: Pair) => {
    pair.client.resetAndDestroy();
    pair.upstream.destroy();
    pairs.delete(pair);
  };

  const server: Server = createServer((client) => {
    counters.connections++;
    if (blackholed) {
      client.on('error', () => {});
      pairs.add({ client, upstream: client });
      return;
    }
    const upstream = createConnection(options.target.port, options.target.host);
    const pair = { client, upstream };
    pairs.add(pair);
    client.on('error', () => cut(pair));
    upstream.on('error', () => cut(pair));
    client.on('close', () => cut(pair));
    upstream.on('close', () => cut(pair));
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const resume = () => {
    stalled = false;
    for (const release of held.splice(0)) release();
  };

  return {
    port,
    counters,
    get open() {
      return pairs.size;
    },
    cutAll() {
      counters.cuts += pairs.size;
      for (const pair of [...pairs]) cut(pair);
    },
    cutRandom(share) {
      for (const pair of [...pairs]) {
        if (random() < share) {
          counters.cuts++;
          cut(pair);
        }
      }
    },
    setLatency(ms) {
      latency = ms;
    },
    stall() {
      stalled = true;
    },
    resume,
    async blackhole(ms) {
      counters.blackholes++;
      blackholed = true;
      await new Promise((r) => setTimeout(r, ms));
      blackholed = false;
      held.splice(0);
      counters.cuts += pairs.size;
      for (const pair of [...pairs]) cut(pair);
    },
    async stop() {
      for (const pair of [...pairs]) cut(pair);
      held.splice(0);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
