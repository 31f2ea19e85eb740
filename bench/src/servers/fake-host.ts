/**
 * The in-memory API server in a process of its own: `node servers/fake-host.js '<FakeHostConfig>'`
 * with an IPC channel. It seeds the collections, answers `ready`, and obeys `stall` (hold every
 * watch's events, or release them with 0 ms) and `stop`. A process of its own so that serving
 * lists and watches never shares a thread with the library being measured.
 */

import { get } from 'node:http';
import type { KubernetesObject } from '@kates/core';
import { collectionPath } from '@kates/core/internal';
import { type FakeApiServer, startFakeApiServer } from '@kates/testing';
import { type BenchKind, generate } from '../objects.js';
import { RESOURCES } from '../resources.js';

export interface FakeCollection {
  readonly kind: BenchKind;
  readonly namespace: string;
  readonly n: number;
}

export interface FakeHostConfig {
  readonly collections: readonly FakeCollection[];
  /** Watch events kept for watches that resume (the fake's history). */
  readonly historySize: number;
}

export type FakeHostMessage = { op: 'stall'; ms: number } | { op: 'stop' };
export type FakeHostReply =
  | { type: 'ready'; kubeconfigPath: string; seedMs: number }
  | { type: 'stalled'; watches: number }
  | { type: 'error'; message: string };

async function main(config: FakeHostConfig): Promise<void> {
  const send = (m: FakeHostReply) => process.send?.(m);
  const seed: KubernetesObject[] = [];
  for (const c of config.collections) {
    if (!seed.some((o) => o.kind === 'Namespace' && o.metadata?.name === c.namespace))
      seed.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: c.namespace } });
    for (let i = 0; i < c.n; i++) seed.push(generate(c.kind, i, c.namespace));
  }
  const t0 = performance.now();
  // Plain http: the TLS front (tls-front.ts) puts the TLS of a real API server in front of it.
  const server = await startFakeApiServer({ seed, historySize: config.historySize, tls: false });
  seed.length = 0;
  for (const c of config.collections) await readOnce(server, c);
  send({ type: 'ready', kubeconfigPath: server.kubeconfigPath, seedMs: performance.now() - t0 });
  process.on('message', (m: FakeHostMessage) => {
    if (m.op === 'stall') send({ type: 'stalled', watches: server.faults.stallWatches(m.ms) });
    else if (m.op === 'stop') void server.stop().then(() => process.exit(0));
  });
  process.on('disconnect', () => void server.stop().then(() => process.exit(0)));
}

/**
 * Reads a collection once, untimed, as a streaming list to its end bookmark, so that the server
 * has rendered every object before the first timed peer asks. The in-memory server keeps each
 * stored object's JSON once it has rendered it (serialize.ts), and renders all of a streaming
 * list's initial events before it writes the first: on a fresh server, 100k Pods took 5.2 to 6.8 s
 * to their first byte, against 0.2 s the second time (2026-12-07). Without this, the first peer of
 * each case paid for it: the streaming floor, first at 100k Pods, took 15 to 24 s there in every
 * full run of 2026-12-06 and 07, where kates-ts, second, took 8.6 to 14.8.
 */
function readOnce(server: FakeApiServer, c: FakeCollection): Promise<void> {
  const path = collectionPath(RESOURCES[c.kind], c.namespace);
  const query =
    'watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true';
  const END = 'k8s.io/initial-events-end';
  return new Promise((resolve, reject) => {
    const req = get(`${server.url}${path}?${query}`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`reading ${path} once before the runs: the server answered ${res.statusCode}`));
        res.resume();
        return;
      }
      let tail = '';
      res.on('data', (chunk: Buffer) => {
        const text = tail + chunk.toString('latin1');
        if (text.includes(END)) {
          req.destroy();
          resolve();
        }
        tail = text.slice(-END.length);
      });
      res.on('end', () => reject(new Error(`reading ${path} once before the runs: the stream ended early`)));
    });
  });
}

main(JSON.parse(process.argv[2] ?? '{}') as FakeHostConfig).catch((e: unknown) => {
  process.send?.({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  process.exit(1);
});
