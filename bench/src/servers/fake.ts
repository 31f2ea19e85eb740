import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FakeCollection, FakeHostMessage, FakeHostReply } from './fake-host.js';
import type { CollectionDigest } from './read-once.js';
import { startTlsFront } from './tls-front.js';

/** An API server the benchmarks run against. */
export interface BenchServer {
  /** `fake` (in-memory, own process) or `real` (kube-apiserver with etcd). */
  readonly name: 'fake' | 'real';
  readonly kubeconfigPath: string;
  /** How long creating the objects took, ms. */
  readonly setupMs: number;
  /** How the objects were made, for the report (the real server: through the API or into etcd). */
  readonly setup?: string;
  /** Holds every open watch's events (release with 0); undefined where the server cannot. */
  readonly stallWatches?: (ms: number) => Promise<number>;
  /**
   * The digest of a collection as the server read it when seeded, while nothing has been written
   * since; undefined otherwise, or where the server cannot tell (see `serverDigest`).
   */
  readonly seededDigest?: (namespace: string) => Promise<CollectionDigest | undefined>;
  stop(): Promise<void>;
}

const HOST = fileURLToPath(new URL('./fake-host.js', import.meta.url));

/** Starts the in-memory API server in its own process, seeded with `collections`. */
export async function startFakeServer(
  collections: readonly FakeCollection[],
  options: { historySize?: number } = {},
): Promise<BenchServer> {
  const child = fork(HOST, [JSON.stringify({ collections, historySize: options.historySize ?? 200_000 })], {
    execArgv: ['--max-old-space-size=16384'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T extends FakeHostReply['type']>(type: T) =>
    new Promise<Extract<FakeHostReply, { type: T }>>((resolve, reject) => {
      const onMessage = (m: FakeHostReply) => {
        if (m.type === 'error') reject(new Error(`fake API server: ${m.message}`));
        else if (m.type === type) resolve(m as Extract<FakeHostReply, { type: T }>);
        else return;
        cleanup();
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`the fake API server process exited (code ${code}) before answering "${type}"`));
      };
      const cleanup = () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
  const ready = await next('ready');
  const send = (m: FakeHostMessage) => child.send(m);
  const front = await startTlsFront(ready.kubeconfigPath);
  return {
    name: 'fake',
    kubeconfigPath: front.kubeconfigPath,
    setupMs: ready.seedMs,
    async stallWatches(ms) {
      const answer = next('stalled');
      send({ op: 'stall', ms });
      return (await answer).watches;
    },
    async seededDigest(namespace) {
      const answer = next('digest');
      send({ op: 'digest', namespace });
      return (await answer).digest;
    },
    async stop() {
      await front.stop();
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      send({ op: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
