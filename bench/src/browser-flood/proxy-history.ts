/**
 * `node --expose-gc bench/dist/browser-flood/proxy-history.js [--events 3000] [--pods 500] [--kb 200]`:
 * the kates proxy's watch cache alone under a flood of large objects, in this process, without an
 * API server (a stub transport answers the list and streams MODIFIED events as fast as the cache
 * reads them). Two sessions follow it, one whole and one projected (metadata kept, so the large
 * annotation too), as the dashboard's two modes. Prints the heap after a full collection every
 * `every` events: what the cache keeps for a flood that a loaded machine's API server could not
 * produce in real time (browser-flood's main.js measures the whole path at the rate it sustains).
 */
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { KubernetesObject, Transport, TransportRequest, TransportResponse } from '@kates/core';
import { isWatchRequest } from '@kates/core/internal';
import { generate } from '../objects.js';
import { nextTurn } from '../stats.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '3000' },
    pods: { type: 'string', default: '500' },
    kb: { type: 'string', default: '200' },
    every: { type: 'string', default: '250' },
    /** The proxy's compiled fan-out folder to measure (default packages/proxy/dist/fanout): another build to compare with. */
    'fanout-dir': { type: 'string' },
  },
});
const events = Number(values.events);
const pods = Number(values.pods);
const MB = 2 ** 20;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const fanoutDir =
  (values['fanout-dir'] && resolve(values['fanout-dir'])) ??
  fileURLToPath(new URL('../../../packages/proxy/dist/fanout/', import.meta.url));
const dist = (p: string) => pathToFileURL(join(fanoutDir, p)).href;

interface Serializer {
  json(o: KubernetesObject): string;
}
interface WatchCacheLike {
  readonly serializer: Serializer;
  ready(): Promise<void>;
  serializerFor(p: { key: string; transform: (o: KubernetesObject) => KubernetesObject }): Serializer;
  stop(): Promise<void>;
  readonly resourceVersion: string;
}
const { WatchCache } = (await import(dist('watch-cache.js'))) as {
  WatchCache: new (t: Transport, r: unknown, q: unknown, o: unknown) => WatchCacheLike;
};
const { FanoutWatch } = (await import(dist('fanout-watch.js'))) as {
  FanoutWatch: new (c: WatchCacheLike, s: unknown, o: unknown) => { start(): void; close(): void };
};

const payload = 'x'.repeat(Number(values.kb) * 1024);
const base = Array.from({ length: pods }, (_, i) => {
  const o = generate('Pod', i, 'flood') as KubernetesObject & { metadata: Record<string, unknown> };
  o.metadata.uid = `uid-${i}`;
  o.metadata.annotations = { ...(o.metadata.annotations as object), 'bench.kates.io/payload': payload };
  return o;
});
// Each event's line: the pod's JSON with its resourceVersion spliced in.
const templates = base.map((o) => {
  const text = JSON.stringify({
    type: 'MODIFIED',
    object: { ...o, metadata: { ...o.metadata, resourceVersion: '@RV@' } },
  });
  const at = text.indexOf('"@RV@"');
  return [text.slice(0, at), text.slice(at + 6)] as const;
});
let streamed = 0;
let streamedBytes = 0;
let rv = 1000;
let onProgress: (() => Promise<void>) | undefined;
const answer = (body: Partial<TransportResponse>): TransportResponse => ({
  status: 200,
  headers: {},
  text: async () => '',
  lines: async function* () {},
  ...body,
});
const transport: Transport = {
  server: 'https://stub',
  async request(req: TransportRequest) {
    if (!isWatchRequest(req)) {
      const items = base.map((o) => ({ ...o, metadata: { ...o.metadata, resourceVersion: '1000' } }));
      return answer({
        text: async () =>
          JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1000' }, items }),
      });
    }
    return answer({
      lines: async function* () {
        while (streamed < events && !req.signal?.aborted) {
          const [a, b] = templates[streamed % pods] as readonly [string, string];
          const line = `${a}"${++rv}"${b}`;
          streamed++;
          streamedBytes += line.length;
          yield line;
          if (streamed % Number(values.every) === 0) await onProgress?.();
        }
        await new Promise<void>((r) => req.signal?.addEventListener('abort', () => r(), { once: true }));
      },
    });
  },
};

const cache = new WatchCache(
  transport,
  { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true, verbs: ['list', 'watch'] },
  { group: '', version: 'v1', resource: 'pods', labelSelector: '', fieldSelector: '', metadataOnly: false },
  // The fan-out's defaults (FanOutOptions): 10 000 events, 75 s, 128 MiB (where the build knows it).
  { history: { maxEvents: 10_000, maxAgeMs: 75_000, maxBytes: 128 * MB }, keepJson: true },
);
await cache.ready();
const sink = () => {
  let bytes = 0;
  return {
    get writable() {
      return true;
    },
    write(line: string) {
      bytes += line.length;
    },
    end() {},
    onWritable: () => () => {},
    onClose() {},
    get bytes() {
      return bytes;
    },
  };
};
const sessions = [sink(), sink()] as const;
const watchOptions = {
  start: { initial: false, resourceVersion: '1000' },
  bookmarks: false,
  bookmarkIntervalMs: 30_000,
  timeoutMs: 1e9,
};
const projected = cache.serializerFor({
  key: 'metadata-only-columns',
  transform: (o) => ({ apiVersion: o.apiVersion, kind: o.kind, metadata: o.metadata }) as KubernetesObject,
});
const watches = [
  new FanoutWatch(cache, sessions[0], watchOptions),
  new FanoutWatch(cache, sessions[1], { ...watchOptions, serializer: projected }),
];
for (const w of watches) w.start();
gc();
const baseMB = process.memoryUsage().heapUsed / MB;
const t0 = performance.now();
const samples: [number, number][] = [];
let done: () => void = () => {};
const finished = new Promise<void>((r) => {
  done = r;
});
onProgress = async () => {
  await nextTurn();
  gc();
  const mb = process.memoryUsage().heapUsed / MB;
  samples.push([streamed, mb]);
  process.stderr.write(
    `${streamed} events (${(streamedBytes / MB).toFixed(0)} MB): heap ${mb.toFixed(0)} MB\n`,
  );
  if (streamed >= events) done();
};
await finished;
const seconds = (performance.now() - t0) / 1000;
const result = {
  events: streamed,
  eventMB: streamedBytes / MB / streamed,
  streamedMB: streamedBytes / MB,
  MBps: streamedBytes / MB / seconds,
  sessionsMB: sessions.map((s) => s.bytes / MB),
  baseHeapMB: baseMB,
  maxHeapMB: Math.max(...samples.map(([, m]) => m)),
  finalHeapMB: samples.at(-1)?.[1],
  samples,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
for (const w of watches) w.close();
await cache.stop();
process.exit(0);
