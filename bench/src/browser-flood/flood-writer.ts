/**
 * The flood's writer in a process of its own: `node browser-flood/flood-writer.js
 * '<FloodWriterConfig>'` with an IPC channel. It gives every pod a large annotation (`fatten`),
 * then patches a small annotation of the pods at a steady rate (`start` / `stop`): each patch is
 * a few hundred bytes, and each watch event it causes carries the whole object, large annotation
 * included, as a watch of large objects does. `marker` changes pod 0 last; `list` is a fresh LIST
 * of the API server (name and resourceVersion of each pod).
 */
import { createNodeTransport, type KubernetesList } from '@kates/core';
import { collectionPath, objectPath } from '@kates/core/internal';
import { KubeConfig } from '@kubernetes/client-node';
import { objectName } from '../objects.js';
import { RESOURCES } from '../resources.js';
import {
  FLOOD_ANNOTATION,
  MARKER_ANNOTATION,
  PAYLOAD_ANNOTATION,
  payloadText as payload,
} from './payload.js';
import type { ReplayStats } from './replay-feed.js';

export interface FloodWriterConfig {
  readonly kubeconfig: string;
  readonly namespace: string;
  readonly pods: number;
}

export interface FloodReport {
  /** Writes acknowledged with 200, and failed, during the flood. */
  readonly writes: number;
  readonly errors: number;
  readonly lastError?: string;
  /** From the first write to the last acknowledgement, s. */
  readonly seconds: number;
  /** Acknowledgement latency, ms: median and p99. */
  readonly ackMs: { readonly p50: number; readonly p99: number };
  /** Writes still owed by the open-loop schedule when it stopped (the server fell behind). */
  readonly behind: number;
  /** With the replay source (replay-host.ts), no writes: what its feed made and sent. */
  readonly replay?: ReplayStats;
}

export type FloodWriterMessage =
  | { op: 'fatten'; bytes: number; concurrency: number }
  | { op: 'start'; ratePerSec: number; concurrency: number }
  | { op: 'stop' }
  | { op: 'marker' }
  | { op: 'list' }
  | { op: 'exit' };
export type FloodWriterReply =
  | { type: 'fattened'; ms: number; objectBytes: number }
  | { type: 'started' }
  | { type: 'stopped'; report: FloodReport }
  | { type: 'marker'; resourceVersion: string; name: string }
  | { type: 'list'; items: [string, string][]; resourceVersion: string }
  | { type: 'error'; message: string };

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN;
};

async function main(config: FloodWriterConfig): Promise<void> {
  const send = (m: FloodWriterReply) => process.send?.(m);
  const kc = new KubeConfig();
  kc.loadFromFile(config.kubeconfig);
  const transport = createNodeTransport(kc);
  const pathOf = (i: number) => objectPath(RESOURCES.Pod, objectName('Pod', i), config.namespace);
  const patch = async (i: number, annotations: Record<string, string>) => {
    const res = await transport.request({
      method: 'PATCH',
      path: pathOf(i),
      contentType: 'application/merge-patch+json',
      body: JSON.stringify({ metadata: { annotations } }),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`patching pod ${i}: ${res.status} ${text.slice(0, 200)}`);
    return text;
  };

  let flood: { stop(): Promise<FloodReport> } | undefined;
  /**
   * The value each flood write sets, never the same twice in this process: a write that set the
   * value a pod already has (a second flood repeating the first's values) would change nothing,
   * and the API server sends no event for it.
   */
  let written = 0;
  const startFlood = (ratePerSec: number, concurrency: number) => {
    let stopped = false;
    let next = 0;
    let writes = 0;
    let errors = 0;
    let lastError: string | undefined;
    const acks: number[] = [];
    const t0 = performance.now();
    let lastAck = t0;
    const n = config.pods;
    const worker = async () => {
      while (!stopped) {
        const k = next++;
        const wait = t0 + (k * 1000) / ratePerSec - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        if (stopped) {
          next--;
          break;
        }
        const sent = performance.now();
        try {
          await patch(1 + ((k * 7919) % Math.max(1, n - 1)), { [FLOOD_ANNOTATION]: String(++written) });
          writes++;
          lastAck = performance.now();
          if (acks.length < 200_000) acks.push(lastAck - sent);
        } catch (e) {
          errors++;
          lastError = (e as Error).message;
        }
      }
    };
    const workers = Promise.all(Array.from({ length: concurrency }, worker));
    return {
      async stop(): Promise<FloodReport> {
        stopped = true;
        const owed = Math.max(0, Math.floor(((performance.now() - t0) * ratePerSec) / 1000) - next);
        await workers;
        return {
          writes,
          errors,
          ...(lastError ? { lastError } : {}),
          seconds: (lastAck - t0) / 1000,
          ackMs: { p50: pct(acks, 0.5), p99: pct(acks, 0.99) },
          behind: owed,
        };
      },
    };
  };

  process.on('message', async (m: FloodWriterMessage) => {
    try {
      if (m.op === 'fatten') {
        const t0 = performance.now();
        let i = 0;
        let objectBytes = 0;
        const worker = async () => {
          while (i < config.pods) {
            const k = i++;
            const body = { [PAYLOAD_ANNOTATION]: payload(k, m.bytes) };
            // A connection the server closed under load is tried again (the patch is idempotent).
            let text = '';
            for (let attempt = 1; ; attempt++) {
              try {
                text = await patch(k, body);
                break;
              } catch (e) {
                if (attempt >= 5) throw e;
                await new Promise((r) => setTimeout(r, 500 * attempt));
              }
            }
            objectBytes = Math.max(objectBytes, Buffer.byteLength(text));
          }
        };
        await Promise.all(Array.from({ length: m.concurrency }, worker));
        send({ type: 'fattened', ms: performance.now() - t0, objectBytes });
      } else if (m.op === 'start') {
        flood = startFlood(m.ratePerSec, m.concurrency);
        send({ type: 'started' });
      } else if (m.op === 'stop') {
        const report = await (flood?.stop() ?? Promise.reject(new Error('no flood running')));
        flood = undefined;
        send({ type: 'stopped', report });
      } else if (m.op === 'marker') {
        const text = await patch(0, { [MARKER_ANNOTATION]: String(Date.now()) });
        const obj = JSON.parse(text) as { metadata: { resourceVersion: string; name: string } };
        send({ type: 'marker', resourceVersion: obj.metadata.resourceVersion, name: obj.metadata.name });
      } else if (m.op === 'list') {
        const res = await transport.request({
          method: 'GET',
          path: collectionPath(RESOURCES.Pod, config.namespace),
        });
        const list = JSON.parse(await res.text()) as KubernetesList;
        send({
          type: 'list',
          items: list.items.map((o) => [o.metadata?.name ?? '', o.metadata?.resourceVersion ?? '']),
          resourceVersion: list.metadata?.resourceVersion ?? '',
        });
      } else if (m.op === 'exit') {
        transport.close();
        process.exit(0);
      }
    } catch (e) {
      send({ type: 'error', message: (e as Error)?.stack ?? String(e) });
    }
  });
}

main(JSON.parse(process.argv[2] ?? '{}') as FloodWriterConfig).catch((e: unknown) => {
  process.send?.({ type: 'error', message: (e as Error)?.stack ?? String(e) });
  process.exit(1);
});
