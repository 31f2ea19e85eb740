import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type Socket } from 'node:net';

/** Bytes a {@link CountingRelay} has carried so far, each way. */
export interface RelayBytes {
  /** From the target to the clients (responses, watch streams). */
  readonly down: number;
  /** From the clients to the target (requests). */
  readonly up: number;
}

/** A TCP relay on loopback that counts the bytes it carries: measured, not assumed. */
export interface CountingRelay {
  readonly port: number;
  bytes(): RelayBytes;
  /**
   * Carries at most `bytesPerSec` from the target to each client from now on (a slow browser's
   * network); undefined: as fast as the client reads.
   */
  limitDown(bytesPerSec: number | undefined): void;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 and pipes every connection to `targetPort`, counting the bytes each way
 * (TLS and HTTP framing included, as on the wire).
 */
export async function startCountingRelay(
  targetPort: number,
  targetHost = '127.0.0.1',
): Promise<CountingRelay> {
  let down = 0;
  let limit: number | undefined;
  let up = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const target = connect(targetPort, targetHost);
    sockets.add(client);
    sockets.add(target);
    client.setNoDelay(true);
    target.setNoDelay(true);
    client.on('data', (c: Buffer) => {
      up += c.length;
    });
    client.pipe(target);
    // Target to client by hand, with backpressure, and under `limit` when one is set: a token
    // bucket of a tenth of a second; reading from the target stops while it is empty, so the
    // target's socket fills and it sees a slow reader, as behind a slow network.
    let tokens = 0;
    let at = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const refill = () => {
      const now = performance.now();
      if (limit !== undefined) tokens = Math.min(limit / 10, tokens + ((now - at) * limit) / 1000);
      at = now;
    };
    const resume = () => {
      refill();
      if (limit !== undefined && tokens < 0) later();
      else if (!client.writableNeedDrain) target.resume();
    };
    const later = () => {
      timer ??= setTimeout(
        () => {
          timer = undefined;
          resume();
        },
        limit === undefined ? 5 : Math.max(5, (-tokens * 1000) / limit),
      );
    };
    target.on('data', (c: Buffer) => {
      down += c.length;
      refill();
      if (limit !== undefined) tokens -= c.length;
      const ok = client.write(c);
      if (!ok || (limit !== undefined && tokens < 0)) {
        target.pause();
        if (ok) later();
      }
    });
    client.on('drain', resume);
    target.on('end', () => client.end());
    target.on('close', () => clearTimeout(timer));
    const end = () => {
      client.destroy();
      target.destroy();
      sockets.delete(client);
      sockets.delete(target);
    };
    client.on('error', end).on('close', end);
    target.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    bytes: () => ({ down, up }),
    limitDown(bytesPerSec) {
      limit = bytesPerSec;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
