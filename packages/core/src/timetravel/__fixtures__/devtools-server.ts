import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../../testing/src/cluster/ports.js';

const SCRIPT = fileURLToPath(new URL('../devtools-server.sh', import.meta.url));

/** A running `@redux-devtools/cli` server. */
export interface DevToolsServer {
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Starts the real standalone Redux DevTools server, installed outside the repository by
 * devtools-server.sh (which this runs, and which installs it when missing).
 */
export async function startDevToolsServer(): Promise<DevToolsServer> {
  const bin = execFileSync('bash', [SCRIPT], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 900_000,
  }).trim();
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [bin, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the Redux DevTools server exited (${child.exitCode}): ${output}`);
    try {
      // Any HTTP answer means it listens (its `/` is a 404 when the app bundle is not served).
      await fetch(`http://127.0.0.1:${port}/`);
      break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`the Redux DevTools server did not answer on port ${port}: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

interface ScSocket {
  invoke(procedure: string, data: unknown): Promise<unknown>;
  transmit(receiver: string, data: unknown): Promise<void>;
  subscribe(channel: string): AsyncIterable<unknown>;
  listener(event: string): { once(): Promise<unknown> };
  disconnect(): void;
}

/** A monitor on the DevTools server, as the Redux DevTools app is one: it sees what apps relay. */
export async function connectMonitor(
  port: number,
): Promise<{ messages: Record<string, unknown>[]; start(): Promise<void>; close(): void }> {
  const sc = (await import('socketcluster-client' as string)) as { default: { create(o: object): ScSocket } };
  const socket = sc.default.create({ hostname: '127.0.0.1', port, autoReconnect: false });
  await socket.listener('connect').once();
  const channel = (await socket.invoke('login', 'monitor')) as string;
  const messages: Record<string, unknown>[] = [];
  void (async () => {
    for await (const m of socket.subscribe(channel)) messages.push(m as Record<string, unknown>);
  })();
  return {
    messages,
    // The app starts relaying its state and actions when a monitor says START.
    start: () => socket.transmit('respond', { type: 'START' }),
    close: () => socket.disconnect(),
  };
}
