import { loadavg } from 'node:os';
import type { KubeProxyStats } from '@kates/proxy';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { busyStretches, type CpuProfile } from '../browser-scale/cpu-profile.js';
import {
  type FirstView,
  firstViewProbe,
  pageNow,
  pageOrigin,
  readControl,
  readRecorder,
  startControl,
  startRecorder,
} from '../browser-scale/page-probes.js';
import type { Child } from './child.js';
import type { DashboardHostMessage, DashboardHostReply, HostMemory } from './dashboard-host.js';
import type { FloodReport, FloodWriterMessage, FloodWriterReply } from './flood-writer.js';
import { podsEvents, rowShows, storePods } from './page-flood.js';
import type { CountingRelay } from './relay.js';

const MB = 2 ** 20;

/** One sample of the flood, every `sampleEverySec`. */
export interface FloodSample {
  /** Seconds since the flood started (negative: before it, positive after it stopped too). */
  readonly t: number;
  /** Bytes per second since the previous sample, MB/s: API server to proxy, proxy to browser. */
  readonly upstreamMBps: number;
  readonly downstreamMBps: number;
  /** The tab's JS heap now (no forced collection), MB. */
  readonly pageHeapMB: number;
  /** Pods events the page took per second since the previous sample. */
  readonly pageEventsPerSec: number;
  readonly proxyHeapMB: number;
  readonly proxyRssMB: number;
  /** The proxy process's CPU since the previous sample, % of one core. */
  readonly proxyCpuPct: number;
}

/** Heap after a full collection, MB, at the points of the run. */
export interface LiveHeaps {
  readonly before: number;
  readonly mid: number;
  readonly end: number;
  /** After the page converged, and `afterWaitSec` more. */
  readonly after: number;
}

export interface FloodRun {
  readonly mode: string;
  readonly firstViewMs: number;
  readonly floodSeconds: number;
  readonly writer: FloodReport;
  /** Over the flood (first write to last acknowledgement): MB and MB/s carried. */
  readonly upstream: { readonly MB: number; readonly MBps: number };
  readonly downstream: { readonly MB: number; readonly MBps: number };
  /** Pods events the page took during the flood, and per second. */
  readonly pageEvents: number;
  readonly pageEventsPerSec: number;
  readonly samples: readonly FloodSample[];
  readonly pageLiveMB: LiveHeaps;
  readonly proxyLiveMB: LiveHeaps;
  readonly proxyRssMB: {
    readonly before: number;
    readonly max: number;
    readonly end: number;
    readonly after: number;
  };
  /** Frames of the dashboard during the flood (forced collections left out). */
  readonly frames: {
    readonly count: number;
    readonly over50: number;
    readonly max: number;
    readonly p99: number;
    /** `[s after the flood started, ms]` of each frame over 50 ms (the first 200). */
    readonly long: readonly (readonly [number, number])[];
  };
  /** An empty page in the same browser over the same time: what the machine alone costs. */
  readonly control: { readonly over50: number; readonly max: number };
  /**
   * With `profilePage`: the tab's main thread during the flood (a CDP CPU profile, 1 ms samples),
   * its busy stretches of 50 ms or more (long tasks; the mid-flood forced collection is one of
   * them) and what they spent their time in, self ms summed over all of them.
   */
  readonly pageBusy?: {
    readonly stretches: number;
    readonly ms: number;
    readonly top: readonly { readonly fn: string; readonly ms: number }[];
  };
  readonly convergence: {
    /** The last write (pod 0) after the flood, and its resourceVersion. */
    readonly marker: string;
    /** From the flood's last acknowledged write, and from the marker's acknowledgement, to the page showing the marker; undefined: not within the timeout. */
    readonly fromFloodEndMs?: number;
    readonly fromMarkerMs?: number;
    /** The page's store against a fresh LIST of the API server, once it showed the marker. */
    readonly storePods: number;
    readonly listPods: number;
    readonly differing: number;
    readonly equal: boolean;
    readonly examples: readonly string[];
  };
  readonly proxy: KubeProxyStats;
  /** 1-minute load average at the start and at the end of the mode. */
  readonly load: readonly [number, number];
  /** What went wrong, when something did (a crashed tab or proxy). */
  readonly failure?: string;
}

export interface FloodPageOptions {
  readonly mode: string;
  /** The page's address (through the downstream relay). */
  readonly url: string;
  readonly pods: number;
  readonly seconds: number;
  /** A slow browser during the flood: the downstream relay's limit (lifted when the flood stops). */
  readonly downstreamLimitBytesPerSec?: number;
  readonly ratePerSec: number;
  readonly concurrency: number;
  readonly sampleEverySec: number;
  readonly convergeTimeoutSec: number;
  /** Seconds from the end's live heaps to the after ones (default 3). */
  readonly afterWaitSec?: number;
  /** A CPU profile of the tab over the flood, for what its long tasks do (`pageBusy`). */
  readonly profilePage?: boolean;
  readonly upstream: CountingRelay;
  readonly downstream: CountingRelay;
  readonly host: Child<DashboardHostMessage, DashboardHostReply>;
  readonly writer: Child<FloodWriterMessage, FloodWriterReply>;
  readonly log: (line: string) => void;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
};

async function liveHeapMB(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize / MB;
}

/**
 * Opens the dashboard, waits for its first view, floods the cluster for `seconds`, sampling the
 * bytes carried both ways, the tab's and the proxy's memory; then stops the flood, writes a last
 * change and waits for the page to show it, and compares the page's store with a fresh LIST.
 */
export async function runFloodPage(context: BrowserContext, o: FloodPageOptions): Promise<FloodRun> {
  const load0 = loadavg()[0] ?? 0;
  const page: Page = await context.newPage();
  let crashed: string | undefined;
  page.on('crash', () => {
    crashed = 'the tab crashed';
    o.log(`${o.mode}: the tab crashed`);
  });
  const cdp = await context.newCDPSession(page);
  const proxyStats = async (gc = false) => (await o.host.ask({ op: 'stats', gc }, 'stats')).memory;
  const excluded: [number, number][] = [];
  const pageLive = async () => {
    const a = await page.evaluate(pageNow);
    const mb = await liveHeapMB(cdp);
    const b = await page.evaluate(pageNow);
    excluded.push([a - 20, b + 20]);
    return mb;
  };
  const proxyLive = async () => ((await proxyStats(true)).liveHeap ?? 0) / MB;
  try {
    await page.goto(o.url);
    const handle = await page.waitForFunction(firstViewProbe, o.pods, { timeout: 300_000, polling: 'raf' });
    const first = (await handle.jsonValue()) as FirstView;
    o.log(`${o.mode}: first view in ${first.at.toFixed(0)} ms`);
    await page.evaluate(startRecorder);
    const control = await context.newPage();
    await control.goto('about:blank');
    await control.evaluate(startControl);
    await page.waitForTimeout(2000);
    const liveBefore = await pageLive();
    const proxyBefore = await proxyStats(true);
    const samples: FloodSample[] = [];
    let last = {
      at: performance.now(),
      bytes: { up: o.upstream.bytes().down, down: o.downstream.bytes().down },
      events: await page.evaluate(podsEvents),
      cpuUs: proxyBefore.cpuUs,
    };
    let floodT0 = 0;
    let rssMax = proxyBefore.rss;
    const sample = async () => {
      const now = performance.now();
      const up = o.upstream.bytes().down;
      const down = o.downstream.bytes().down;
      const [heap, events, mem] = await Promise.all([
        cdp.send('Runtime.getHeapUsage'),
        page.evaluate(podsEvents),
        proxyStats(false),
      ]);
      const s = (now - last.at) / 1000;
      rssMax = Math.max(rssMax, mem.rss);
      samples.push({
        t: (now - floodT0) / 1000,
        upstreamMBps: (up - last.bytes.up) / MB / s,
        downstreamMBps: (down - last.bytes.down) / MB / s,
        pageHeapMB: heap.usedSize / MB,
        pageEventsPerSec: (events - last.events) / s,
        proxyHeapMB: mem.heapUsed / MB,
        proxyRssMB: mem.rss / MB,
        proxyCpuPct: (mem.cpuUs - last.cpuUs) / 10 / (now - last.at),
      });
      last = { at: now, bytes: { up, down }, events, cpuUs: mem.cpuUs };
    };

    // The flood.
    const bytes0 = { up: o.upstream.bytes().down, down: o.downstream.bytes().down };
    const events0 = await page.evaluate(podsEvents);
    const pageT0 = await page.evaluate(pageNow);
    floodT0 = performance.now();
    last = { at: floodT0, bytes: bytes0, events: events0, cpuUs: (await proxyStats(false)).cpuUs };
    o.downstream.limitDown(o.downstreamLimitBytesPerSec);
    if (o.profilePage) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
      await cdp.send('Profiler.start');
    }
    await o.writer.ask({ op: 'start', ratePerSec: o.ratePerSec, concurrency: o.concurrency }, 'started');
    o.log(`${o.mode}: flood at ${o.ratePerSec} writes/s for ${o.seconds} s`);
    let liveMid = Number.NaN;
    let proxyMid = Number.NaN;
    const end = floodT0 + o.seconds * 1000;
    while (performance.now() < end && !crashed) {
      await page.waitForTimeout(Math.max(0, Math.min(o.sampleEverySec * 1000, end - performance.now())));
      await sample();
      const s = samples.at(-1) as FloodSample;
      o.log(
        `${o.mode} t=${s.t.toFixed(0)}s: up ${s.upstreamMBps.toFixed(1)} MB/s, down ${s.downstreamMBps.toFixed(1)} MB/s, page ${s.pageEventsPerSec.toFixed(0)} ev/s, tab heap ${s.pageHeapMB.toFixed(0)} MB, proxy heap ${s.proxyHeapMB.toFixed(0)} MB rss ${s.proxyRssMB.toFixed(0)} MB cpu ${s.proxyCpuPct.toFixed(0)}%, load ${(loadavg()[0] ?? 0).toFixed(1)}`,
      );
      if (Number.isNaN(liveMid) && performance.now() - floodT0 >= (o.seconds * 1000) / 2) {
        liveMid = await pageLive();
        proxyMid = await proxyLive();
      }
    }
    const writer = (await o.writer.ask({ op: 'stop' }, 'stopped')).report;
    o.downstream.limitDown(undefined);
    const pageProfile = o.profilePage
      ? ((await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile }).profile
      : undefined;
    const floodEnd = performance.now();
    const bytes1 = { up: o.upstream.bytes().down, down: o.downstream.bytes().down };
    const pageT1 = await page.evaluate(pageNow);
    const events1 = await page.evaluate(podsEvents);
    const floodSeconds = (floodEnd - floodT0) / 1000;
    o.log(`${o.mode}: flood stopped: ${JSON.stringify(writer)}`);

    // Convergence: the last write, then the page showing it.
    const marker = await o.writer.ask({ op: 'marker' }, 'marker');
    const markerAt = performance.now();
    let shownAt: number | undefined;
    try {
      await page.waitForFunction(
        rowShows,
        { name: marker.name, rv: marker.resourceVersion },
        { timeout: o.convergeTimeoutSec * 1000, polling: 50 },
      );
      shownAt = performance.now();
    } catch (e) {
      o.log(
        `${o.mode}: the page did not show ${marker.name} at ${marker.resourceVersion}: ${(e as Error).message.split('\n')[0]}`,
      );
    }
    // Pods whose event is still on its way to the page get a few more seconds.
    const list = await o.writer.ask({ op: 'list' }, 'list');
    const want = new Map(list.items);
    let store: [string, string][] | string = 'not read';
    let differing: string[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      store = await page.evaluate(storePods);
      if (typeof store === 'string') break;
      const have = new Map(store);
      differing = [];
      for (const [name, rv] of want)
        if (have.get(name) !== rv) differing.push(`${name}: page ${have.get(name) ?? 'absent'}, LIST ${rv}`);
      for (const [name, rv] of have)
        if (!want.has(name)) differing.push(`${name}: page ${rv}, not in the LIST`);
      if (differing.length === 0) break;
      await page.waitForTimeout(500);
    }
    const storeCount = typeof store === 'string' ? 0 : store.length;
    if (typeof store === 'string') differing = [store];
    o.log(
      `${o.mode}: converged ${shownAt === undefined ? 'never' : `${(shownAt - floodEnd).toFixed(0)} ms after the flood`}; store ${storeCount} pods, LIST ${list.items.length}, differing ${differing.length}`,
    );
    await page.waitForTimeout(1000);
    await sample();
    const liveEnd = await pageLive();
    const proxyEnd = await proxyLive();
    const proxyEndMem = await proxyStats(false);
    await page.waitForTimeout((o.afterWaitSec ?? 3) * 1000);
    const liveAfter = await pageLive();
    const proxyAfterMem = await proxyStats(true);
    const proxyAfter = (proxyAfterMem.liveHeap ?? 0) / MB;
    const proxy = (await o.host.ask({ op: 'stats' }, 'stats')).proxy;

    // Frames during the flood.
    const rec = await page.evaluate(readRecorder);
    const origin = await page.evaluate(pageOrigin);
    const inFlood = (start: number, d: number) =>
      start >= pageT0 && start + d <= pageT1 && !excluded.some(([a, b]) => start < b && start + d > a);
    const frames = rec.frames.filter(([s, d]) => inFlood(s as number, d as number));
    const durations = frames.map(([, d]) => d as number);
    const controlFrames = (await control.evaluate(readControl)).filter(([s, d]) =>
      inFlood((s as number) - origin, d as number),
    );
    await control.close();
    return {
      mode: o.mode,
      firstViewMs: first.at,
      floodSeconds,
      writer,
      upstream: { MB: (bytes1.up - bytes0.up) / MB, MBps: (bytes1.up - bytes0.up) / MB / floodSeconds },
      downstream: {
        MB: (bytes1.down - bytes0.down) / MB,
        MBps: (bytes1.down - bytes0.down) / MB / floodSeconds,
      },
      pageEvents: events1 - events0,
      pageEventsPerSec: (events1 - events0) / floodSeconds,
      samples,
      pageLiveMB: { before: liveBefore, mid: liveMid, end: liveEnd, after: liveAfter },
      proxyLiveMB: {
        before: (proxyBefore.liveHeap ?? 0) / MB,
        mid: proxyMid,
        end: proxyEnd,
        after: proxyAfter,
      },
      proxyRssMB: {
        before: proxyBefore.rss / MB,
        max: rssMax / MB,
        end: proxyEndMem.rss / MB,
        after: proxyAfterMem.rss / MB,
      },
      frames: {
        count: durations.length,
        over50: durations.filter((d) => d > 50).length,
        max: Math.max(0, ...durations),
        p99: pct(durations, 0.99),
        long: frames
          .filter(([, d]) => (d as number) > 50)
          .slice(0, 200)
          .map(([s, d]) => [((s as number) - pageT0) / 1000, d as number] as const),
      },
      control: {
        over50: controlFrames.filter(([, d]) => (d as number) > 50).length,
        max: Math.max(0, ...controlFrames.map(([, d]) => d as number)),
      },
      ...(pageProfile ? { pageBusy: busyOf(pageProfile) } : {}),
      convergence: {
        marker: `${marker.name}@${marker.resourceVersion}`,
        ...(shownAt !== undefined
          ? { fromFloodEndMs: shownAt - floodEnd, fromMarkerMs: shownAt - markerAt }
          : {}),
        storePods: storeCount,
        listPods: list.items.length,
        differing: differing.length,
        equal: differing.length === 0,
        examples: differing.slice(0, 5),
      },
      proxy,
      load: [load0, loadavg()[0] ?? 0],
      ...(crashed ? { failure: crashed } : {}),
    };
  } finally {
    await page.close().catch(() => {});
  }
}

/** The long tasks of a profile: how many, how long in all, and their functions by self time. */
function busyOf(profile: CpuProfile): NonNullable<FloodRun['pageBusy']> {
  const stretches = busyStretches(profile, 50);
  const byFn = new Map<string, number>();
  for (const b of stretches) for (const t of b.top) byFn.set(t.fn, (byFn.get(t.fn) ?? 0) + t.ms);
  return {
    stretches: stretches.length,
    ms: stretches.reduce((a, b) => a + b.ms, 0),
    top: [...byFn.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([fn, ms]) => ({ fn, ms })),
  };
}

/** For the report: what a run that failed outright looked like. */
export type HostMemorySample = HostMemory;
