import { quantile } from '../stats.js';
import type { ProxyStats } from './proxy-host.js';
import type { ProxyProcess } from './proxy-process.js';
import { type Bootstrap, ProxySession } from './proxy-session.js';

/** What the fan-out scenario runs. */
export interface FanOutRun {
  /** Starts a proxy: with the fan-out, or relaying each session's lists and watches (today's). */
  readonly startProxy: (fanOut: boolean) => Promise<ProxyProcess>;
  /** The collection every session views: `/api/v1/namespaces/NS/pods`. */
  readonly path: string;
  /** `Accept` of the lists (metadata only), if not whole objects. */
  readonly accept?: string;
  /** Sessions on the fan-out proxy (50). */
  readonly sessions: number;
  /** Sessions on the relaying proxy, each a list and a watch of the API server (a few: their cost is per session). */
  readonly relaySessions: number;
  /** Changes one object so that its watch event carries `marker`. */
  readonly change: (marker: string) => Promise<void>;
  readonly log: (line: string) => void;
}

/** What one proxy cost, read from its process. */
export interface ProxyCost {
  readonly reads: number;
  readonly watches: number;
  readonly openWatches: number;
  readonly discovery: number;
  /** Heap after a full GC, MB. */
  readonly heapMB: number;
}

export interface FanOutResult {
  readonly objects: number;
  /** MB of list JSON a session reads to bootstrap. */
  readonly listMB: number;
  readonly relay: {
    /** Bootstrap of each session, ms: its own lists from the API server, through the proxy. */
    readonly bootstrapMs: readonly number[];
    /** What the proxy asked of the API server for `relaySessions` sessions. */
    readonly upstream: ProxyCost;
  };
  readonly fanOut: {
    readonly sessions: number;
    /** The first session: the cache lists the API server, then the session reads the cache. */
    readonly firstBootstrapMs: number;
    /** Sessions 2..N, from the proxy's memory: median, p90, and the last one. */
    readonly warmBootstrapMs: { readonly median: number; readonly p90: number; readonly last: number };
    readonly upstreamAfterFirst: ProxyCost;
    readonly upstreamAfterAll: ProxyCost;
    /** Heap of the proxy before any session, MB. */
    readonly baseHeapMB: number;
    /** The cache (one session), MB. */
    readonly cacheHeapMB: number;
    /** Each further session, KB. */
    readonly heapPerSessionKB: number;
    /** Proxy CPU per further session's bootstrap, ms. */
    readonly cpuPerSessionMs: number;
    /** One change, from the write to every session's watch: median and slowest, ms. */
    readonly eventToAllMs: { readonly median: number; readonly max: number };
  };
}

const MB = 2 ** 20;
const cost = (s: ProxyStats): ProxyCost => ({
  reads: s.upstream.reads,
  watches: s.upstream.watches,
  openWatches: s.upstream.openWatches,
  discovery: s.upstream.discovery,
  heapMB: s.heapUsed / MB,
});

async function session(url: string, run: FanOutRun): Promise<{ s: ProxySession; b: Bootstrap }> {
  const s = await ProxySession.open(url);
  const b = await s.bootstrap(run.path, {}, run.accept);
  return { s, b };
}

/**
 * Fifty browser sessions on one fan-out proxy against a few on a relaying one: what each costs
 * the API server, how long a session's first complete view takes, and what the proxy holds.
 */
export async function runFanOut(run: FanOutRun): Promise<FanOutResult> {
  const relay = await run.startProxy(false);
  const relayMs: number[] = [];
  let relayCost: ProxyCost;
  const relaySessions: ProxySession[] = [];
  try {
    for (let i = 0; i < run.relaySessions; i++) {
      const { s, b } = await session(relay.url, run);
      relaySessions.push(s);
      relayMs.push(b.ms);
      run.log(`relay session ${i + 1}: ${b.items} objects in ${b.ms.toFixed(0)} ms`);
    }
    relayCost = cost(await relay.stats());
  } finally {
    for (const s of relaySessions) s.close();
    await relay.stop();
  }

  const proxy = await run.startProxy(true);
  const sessions: ProxySession[] = [];
  try {
    const base = await proxy.stats();
    const first = await session(proxy.url, run);
    sessions.push(first.s);
    const afterFirst = await proxy.stats();
    run.log(
      `fan-out session 1: ${first.b.items} objects in ${first.b.ms.toFixed(0)} ms (the cache listed the API server)`,
    );
    const warm: number[] = [];
    for (let i = 1; i < run.sessions; i++) {
      const { s, b } = await session(proxy.url, run);
      sessions.push(s);
      warm.push(b.ms);
      if ((i + 1) % 10 === 0) run.log(`fan-out session ${i + 1}: ${b.ms.toFixed(0)} ms`);
    }
    const afterAll = await proxy.stats();
    const marker = `fan-out-${Date.now()}`;
    const arriving = Promise.all(sessions.map((s) => s.next((line) => line.includes(marker))));
    const t0 = performance.now();
    await run.change(marker);
    const arrivals = await arriving;
    const toAll = arrivals.map((t) => t - t0);
    const further = Math.max(1, run.sessions - 1);
    return {
      objects: first.b.items,
      listMB: first.b.bytes / MB,
      relay: { bootstrapMs: relayMs, upstream: relayCost },
      fanOut: {
        sessions: run.sessions,
        firstBootstrapMs: first.b.ms,
        warmBootstrapMs: {
          median: quantile(warm, 0.5),
          p90: quantile(warm, 0.9),
          last: warm[warm.length - 1] ?? Number.NaN,
        },
        upstreamAfterFirst: cost(afterFirst),
        upstreamAfterAll: cost(afterAll),
        baseHeapMB: base.heapUsed / MB,
        cacheHeapMB: (afterFirst.heapUsed - base.heapUsed) / MB,
        heapPerSessionKB: (afterAll.heapUsed - afterFirst.heapUsed) / further / 1024,
        cpuPerSessionMs: (afterAll.cpuUs - afterFirst.cpuUs) / further / 1000,
        eventToAllMs: { median: quantile(toAll, 0.5), max: Math.max(...toAll) },
      },
    };
  } finally {
    for (const s of sessions) s.close();
    await proxy.stop();
  }
}
