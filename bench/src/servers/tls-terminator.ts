/**
 * A TLS front for the in-memory API server (plain http), in a process of its own:
 * `node servers/tls-terminator.js <targetPort> <certDir>`; answers `{ port }` over IPC.
 *
 * Why: client-go reads a kubeconfig's credentials only for TLS servers, so Go kates cannot talk
 * to a plain-http server that needs a token. Every peer goes through this front, so all pay the
 * same TLS and hop, as they do against a real API server.
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createServer } from 'node:tls';

const [targetPort, certDir] = process.argv.slice(2);
const server = createServer(
  {
    key: readFileSync(join(certDir!, 'serving.key')),
    cert: readFileSync(join(certDir!, 'serving.crt')),
  },
  (client) => {
    const upstream = connect(Number(targetPort), '127.0.0.1');
    // No Nagle on either leg, as a real API server (Go sets TCP_NODELAY on every connection) and
    // the in-memory server's own http server have none. With it, a watch event written while the
    // one before was not yet acknowledged waited for the client's delayed ACK: steady-churn p99
    // latency was about 40 ms for every peer, the same stall whatever the client.
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.pipe(upstream);
    upstream.pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  },
);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('disconnect', () => process.exit(0));
