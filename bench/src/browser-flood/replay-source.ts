import { startTlsFront } from '../servers/tls-front.js';
import { type Child, forkChild } from './child.js';
import type { FloodWriterMessage, FloodWriterReply } from './flood-writer.js';
import type { ReplayHostConfig, ReplayHostReply } from './replay-host.js';

/** The replay source: a synthetic upstream (replay-host.ts) behind the bench's TLS front. */
export interface ReplaySource {
  /** Names the TLS front (https, the run's CA), as the other servers' kubeconfigs do. */
  readonly kubeconfigPath: string;
  readonly setupMs: number;
  /** The host, speaking the flood writer's protocol: it is the run's writer. */
  readonly writer: Child<FloodWriterMessage, FloodWriterReply>;
  stop(): Promise<void>;
}

/**
 * Starts replay-host.ts in a process of its own (the in-memory API server for everything but the
 * pods of `namespace`, which its feed answers) and the TLS front before it.
 */
export async function startReplaySource(config: ReplayHostConfig): Promise<ReplaySource> {
  const host = forkChild<FloodWriterMessage, ReplayHostReply>(
    new URL('./replay-host.js', import.meta.url).pathname,
    config,
    ['--max-old-space-size=4096'],
  );
  const ready = await host.next('ready');
  const front = await startTlsFront(ready.kubeconfigPath);
  return {
    kubeconfigPath: front.kubeconfigPath,
    setupMs: ready.seedMs,
    // Its replies are the writer's, and `ready`, which came first.
    writer: host as unknown as Child<FloodWriterMessage, FloodWriterReply>,
    async stop() {
      await host.stop({ op: 'exit' });
      await front.stop();
    },
  };
}
