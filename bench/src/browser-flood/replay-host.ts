/**
 * The flood's synthetic upstream in a process of its own: `node browser-flood/replay-host.js
 * '<ReplayHostConfig>'` with an IPC channel. NOT an API server: the in-memory API server
 * (`startFakeApiServer`, plain http, in this process) answers everything (discovery, namespaces,
 * the other kinds) but the pods of the flood's namespace, which a {@link ReplayFeed} answers from
 * pre-serialized 206 KB pods (LIST, WATCH, GET), at the rate asked for. It speaks the flood
 * writer's protocol (flood-writer.ts): `fatten` (the pods are fat from the start: it answers their
 * size), `start` / `stop` (events at `ratePerSec`), `marker`, `list` (the feed's state, what a
 * fresh LIST returns), `exit`; and first answers `ready` with a kubeconfig naming it (plain http:
 * main.ts puts the bench's TLS front before it, as before the fake).
 *
 * Why: the flood through the API servers never reached 30 MB/s on 2 cores (kube-apiserver 4.4 MB/s,
 * the in-memory server 6.1 at most, both CPU-bound serializing each event), so the proxy and the
 * tab were never under issue 21's stream. This feed makes events without serializing them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubernetesList, KubernetesObject } from '@kates/core';
import { startFakeApiServer } from '@kates/testing';
import { generate } from '../objects.js';
import type { FloodReport, FloodWriterMessage, FloodWriterReply } from './flood-writer.js';
import { PAYLOAD_ANNOTATION, payloadText } from './payload.js';
import { podsRequest, ReplayFeed, type ReplayStats, sendStatus } from './replay-feed.js';

export interface ReplayHostConfig {
  readonly namespace: string;
  readonly pods: number;
  /** Bytes of each pod's large annotation (as the writer's `fatten`). */
  readonly payloadBytes: number;
  /** Events kept for watches that resume (the feed's ring). */
  readonly historyEvents: number;
}

export type ReplayHostReply =
  | FloodWriterReply
  | { type: 'ready'; kubeconfigPath: string; seedMs: number; objectBytes: number };

async function main(config: ReplayHostConfig): Promise<void> {
  const send = (m: ReplayHostReply) => process.send?.(m);
  const t0 = performance.now();
  // The pods as the in-memory server makes them (uid, timestamps, managedFields), read back once.
  const seed: KubernetesObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: config.namespace } },
  ];
  for (let i = 0; i < config.pods; i++) {
    const pod = generate('Pod', i, config.namespace);
    pod.metadata = {
      ...pod.metadata,
      annotations: {
        ...pod.metadata?.annotations,
        [PAYLOAD_ANNOTATION]: payloadText(i, config.payloadBytes),
      },
    };
    seed.push(pod);
  }
  const fake = await startFakeApiServer({ seed, historySize: 1000, tls: false });
  seed.length = 0;
  const fakeUrl = new URL(fake.url);
  const listed = await fetch(new URL(`/api/v1/namespaces/${config.namespace}/pods`, fakeUrl), {
    headers: { authorization: `Bearer ${fake.token}` },
  });
  if (!listed.ok) throw new Error(`listing the seeded pods: ${listed.status}`);
  const pods = ((await listed.json()) as KubernetesList).items;
  const feed = new ReplayFeed(pods, { historyEvents: config.historyEvents });

  // Everything but the feed's pods goes to the in-memory server, as it came.
  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const upstream = request(
      {
        host: fakeUrl.hostname,
        port: fakeUrl.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (e) => {
      if (!res.headersSent) sendStatus(res, 502, 'BadGateway', e.message);
      else res.destroy();
    });
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://replay');
    const what = podsRequest(req.method ?? 'GET', url, config.namespace);
    if (!what) return forward(req, res);
    // The fake's token, as the API server would ask for one.
    if (req.headers.authorization !== `Bearer ${fake.token}`)
      return sendStatus(res, 401, 'Unauthorized', 'Unauthorized');
    if (what.type === 'list') feed.serveList(res);
    else if (what.type === 'watch') feed.serveWatch(req, res, url.searchParams);
    else if (what.type === 'get') feed.serveGet(res, what.name);
    else sendStatus(res, 405, 'MethodNotAllowed', 'the replay feed serves reads of pods only');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const kubeconfigPath = `${fake.kubeconfigPath}.replay`;
  writeFileSync(
    kubeconfigPath,
    readFileSync(fake.kubeconfigPath, 'utf8').replace(
      /server: http:\/\/127\.0\.0\.1:\d+/,
      `server: http://127.0.0.1:${port}`,
    ),
    { mode: 0o600 },
  );

  let flood: { stop(): FloodReport } | undefined;
  const startFlood = (ratePerSec: number) => {
    const t = performance.now();
    const stats0 = feed.statsNow();
    let made = 0;
    // Open loop: every 10 ms, the events due by now.
    const timer = setInterval(() => {
      const due = Math.floor(((performance.now() - t) * ratePerSec) / 1000) - made;
      if (due > 0) {
        feed.flood(due);
        made += due;
      }
    }, 10);
    return {
      stop(): FloodReport {
        clearInterval(timer);
        const seconds = (performance.now() - t) / 1000;
        const owed = Math.max(0, Math.floor(seconds * ratePerSec) - made);
        const s = feed.statsNow();
        const source: ReplayStats = {
          ...s,
          events: s.events - stats0.events,
          eventBytes: s.eventBytes - stats0.eventBytes,
          watchBytes: s.watchBytes - stats0.watchBytes,
          watches: s.watches - stats0.watches,
          expired: s.expired - stats0.expired,
          lists: s.lists - stats0.lists,
        };
        return {
          writes: made,
          errors: 0,
          seconds,
          ackMs: { p50: Number.NaN, p99: Number.NaN },
          behind: owed,
          replay: source,
        };
      },
    };
  };

  process.on('message', (m: FloodWriterMessage) => {
    try {
      if (m.op === 'fatten') send({ type: 'fattened', ms: 0, objectBytes: feed.objectBytes });
      else if (m.op === 'start') {
        flood?.stop();
        flood = startFlood(m.ratePerSec);
        send({ type: 'started' });
      } else if (m.op === 'stop') {
        if (!flood) throw new Error('no flood running');
        const report = flood.stop();
        flood = undefined;
        send({ type: 'stopped', report });
      } else if (m.op === 'marker') send({ type: 'marker', ...feed.marker() });
      else if (m.op === 'list')
        send({ type: 'list', items: feed.state(), resourceVersion: feed.resourceVersion });
      else if (m.op === 'exit') {
        server.closeAllConnections();
        server.close();
        void fake.stop().then(() => process.exit(0));
      }
    } catch (e) {
      send({ type: 'error', message: (e as Error)?.stack ?? String(e) });
    }
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', kubeconfigPath, seedMs: performance.now() - t0, objectBytes: feed.objectBytes });
}

main(JSON.parse(process.argv[2] ?? '{}') as ReplayHostConfig).catch((e: unknown) => {
  process.send?.({ type: 'error', message: (e as Error)?.stack ?? String(e) });
  process.exit(1);
});
