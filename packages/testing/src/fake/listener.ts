import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ServingCertificate } from '../tls/certificates.js';

/** The fake's two endpoints: the same handler over plain http and over https. */
export interface Listeners {
  readonly httpPort: number;
  readonly httpsPort: number;
  /** Stops accepting, ends every open connection (watches included) and closes both ports. */
  close(): Promise<void>;
}

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Listens on 127.0.0.1 twice: https with `certificate` (what kubeconfigs name: kubectl and
 * client-go send a bearer token only over TLS) and plain http (for tests and tools that fetch
 * without a CA). Two ports rather than one that sniffs the first byte: Node's TLS reads a socket's
 * handle directly, so bytes already read to tell the protocols apart would be lost.
 */
export async function listenHttpAndHttps(
  handler: RequestListener,
  certificate: ServingCertificate,
  ports: { readonly http?: number; readonly https?: number } = {},
): Promise<Listeners> {
  const plain = createHttpServer(handler);
  const secure = createHttpsServer({ key: certificate.keyPem, cert: certificate.certPem }, handler);
  const httpPort = await listen(plain, ports.http ?? 0);
  let httpsPort: number;
  try {
    httpsPort = await listen(secure, ports.https ?? 0);
  } catch (e) {
    await close(plain);
    throw e;
  }
  return {
    httpPort,
    httpsPort,
    close: async () => {
      await Promise.all([close(plain), close(secure)]);
    },
  };
}
