import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The first port of the kernel's ephemeral range (Linux: 32768 by default). Ports the kernel hands
 * out on its own (to `listen(0)` and to the local end of every outgoing connection) come from that
 * range, so a port picked there may be taken by a connection before the server that was meant to
 * have it binds it: `bind: address already in use`, seen when several test clusters start at once.
 */
function ephemeralStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const n = Number(low);
    if (Number.isInteger(n) && n > 12_000) return n;
  } catch {
    // Not Linux: fall through.
  }
  return 32_768;
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Ports this process handed out already: never handed out twice, even if free again. */
const handedOut = new Set<number>();

/**
 * A TCP port on 127.0.0.1 that was free a moment ago and that this process never handed out
 * before, chosen below the kernel's ephemeral range (between 10000 and its start), where nothing
 * takes it but a server that asks for it by number; the kernel's own choice if 50 random tries find
 * none. Another process can still take it between this answer and the server's bind: start servers
 * through {@link onFreshPorts}.
 */
export async function freePort(): Promise<number> {
  const top = ephemeralStart();
  for (let i = 0; i < 50; i++) {
    const port = 10_000 + Math.floor(Math.random() * (top - 10_000));
    if (handedOut.has(port) || !(await canBind(port))) continue;
    handedOut.add(port);
    return port;
  }
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** How many times a server is started on fresh ports when a port it was given is taken. */
export const PORT_ATTEMPTS = 4;

/**
 * Runs `start` (which picks its ports with {@link freePort}) again with fresh ports when the server
 * failed because a port was taken between the pick and its bind (`bind: address already in use`
 * in its log: another test cluster or server starting at the same moment picked the same port).
 * Any other failure, or the last attempt's, is thrown as it is.
 */
export async function onFreshPorts<T>(
  what: string,
  start: (attempt: number) => Promise<T>,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await start(attempt);
    } catch (e) {
      const taken = /address already in use/.test((e as Error).message);
      if (!taken || attempt + 1 >= PORT_ATTEMPTS) throw e;
      log(`${what}: a port it was given was taken; starting it again on fresh ports`);
    }
  }
}
