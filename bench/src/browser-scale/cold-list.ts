/**
 * `node --expose-gc bench/dist/browser-scale/cold-list.js [--server real|fake] [--pods 30000]
 *  [--rounds 2] [--variants list,list-500,stream] [--store-heap full-projected,full-projected-delete]`:
 * the kates proxy's own first list of the pods, cold (issue 21: on a cold proxy the page waits for
 * it). For each variant of the fan-out's reflector settings a fresh proxy is started and one page's
 * list (`/api/v1/pods`, pages of 10 000, the dashboard's projection) is read through it: the time
 * to the last page, the proxy's upstream requests (time to headers and to the whole body), and the
 * process's peak heap and RSS meanwhile. Variants alternate, `rounds` times, in one process on one
 * server. Optionally (`--store-heap`), a client's store heap in forms of store-heap.ts, each in a
 * fresh process, alternated too.
 */
import { parseArgs } from 'node:util';
import { createClient, PROJECTION_PARAM, type ReflectorOptions, type Transport } from '@kates/core';
import { startKubeProxy } from '@kates/proxy';
import { type BenchServer, startFakeServer } from '../servers/fake.js';
import { startRealServer } from '../servers/real.js';
import { settledHeap } from '../stats.js';
import { storeHeap } from './store-heap.js';

const VARIANTS: Readonly<Record<string, ReflectorOptions>> = {
  /** The default: a LIST at resourceVersion "0" in pages of 2000. */
  list: {},
  'list-500': { pageSize: 500 },
  'list-10000': { pageSize: 10_000 },
  /** A watch with `sendInitialEvents=true` (falls back to a LIST where refused). */
  stream: { initialList: 'stream' },
};

const { values } = parseArgs({
  options: {
    server: { type: 'string', default: 'real' },
    pods: { type: 'string', default: '30000' },
    rounds: { type: 'string', default: '2' },
    variants: { type: 'string', default: 'list,list-500,stream' },
    'store-heap': { type: 'string', default: '' },
  },
});
const log = (line: string) =>
  process.stderr.write(`[cold-list ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const pods = Number(values.pods);
const namespace = `bench-pod-${pods}`;
/** The dashboard's pod columns (examples/dashboard/src/fields.ts), as the page asks for them. */
const FIELDS =
  'spec.containers.name,spec.nodeName,status.containerStatuses.ready,status.containerStatuses.restartCount,status.phase';

interface Upstream {
  path: string;
  headersMs: number;
  bodyMs: number;
  bytes: number;
}

/** The proxy's transport, timing each of its non-watch requests and a watch's first line. */
function timing(inner: Transport, into: Upstream[]): Transport {
  return {
    server: inner.server,
    close: () => inner.close?.(),
    async request(req) {
      const t0 = performance.now();
      const res = await inner.request(req);
      const entry: Upstream = {
        path: `${req.path}?${new URLSearchParams(Object.entries(req.query ?? {}).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])))}`,
        headersMs: performance.now() - t0,
        bodyMs: Number.NaN,
        bytes: 0,
      };
      if (!req.path.startsWith('/api/v1/') || !req.path.endsWith('pods')) return res;
      into.push(entry);
      return {
        ...res,
        text: async () => {
          const text = await res.text();
          entry.bodyMs = performance.now() - t0;
          entry.bytes = text.length;
          return text;
        },
      };
    },
  };
}

/** One page's paginated list through a cold proxy with the fan-out's reflector set to `reflector`. */
async function coldList(kubeconfig: string, variant: string) {
  const upstream: Upstream[] = [];
  const base = createClient({ kubeconfig }).transport;
  const proxy = await startKubeProxy({
    port: 0,
    transport: timing(base, upstream),
    fanOut: { reflector: VARIANTS[variant] ?? {} },
  });
  settledHeap();
  let peakHeap = 0;
  let peakRss = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 20);
  const baseline = process.memoryUsage();
  const t0 = performance.now();
  let items = 0;
  let cont = '';
  let firstPageMs = 0;
  try {
    do {
      const q = new URLSearchParams({ limit: '10000', [PROJECTION_PARAM]: FIELDS });
      if (cont) q.set('continue', cont);
      const res = await fetch(`${proxy.url}/api/v1/pods?${q}`);
      if (res.status !== 200) throw new Error(`list: ${res.status} ${await res.text()}`);
      const page = (await res.json()) as { items: unknown[]; metadata: { continue?: string } };
      firstPageMs ||= performance.now() - t0;
      items += page.items.length;
      cont = page.metadata.continue ?? '';
    } while (cont);
    return {
      variant,
      items,
      firstPageMs,
      allMs: performance.now() - t0,
      upstream: upstream.map((u) => ({
        ...u,
        headersMs: Math.round(u.headersMs),
        bodyMs: Math.round(u.bodyMs),
      })),
      peakHeapMB: (peakHeap - baseline.heapUsed) / 2 ** 20,
      peakRssMB: (peakRss - baseline.rss) / 2 ** 20,
    };
  } finally {
    clearInterval(sampler);
    await proxy.close();
    base.close?.();
  }
}

let server: BenchServer | undefined;
try {
  server =
    values.server === 'real'
      ? await startRealServer([{ kind: 'Pod', n: pods, namespace }], log)
      : await startFakeServer([{ kind: 'Pod', n: pods, namespace }]);
  log(`${server.name} API server: ${pods} pods in ${(server.setupMs / 1000).toFixed(1)} s`);
  const heapVariants = values['store-heap'].split(',').filter(Boolean);
  for (let round = 1; round <= Number(values.rounds); round++) {
    for (const v of heapVariants)
      log(
        `store heap round ${round}: ${JSON.stringify(await storeHeap(server.kubeconfigPath, namespace, v))}`,
      );
    for (const v of values.variants.split(',').filter(Boolean)) {
      const r = await coldList(server.kubeconfigPath, v);
      log(`cold list round ${round}: ${JSON.stringify(r)}`);
    }
  }
} finally {
  await server?.stop();
}
