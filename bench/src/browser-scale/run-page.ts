import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import {
  type BusyStretch,
  busyStretches,
  type CpuProfile,
  firstSampleIn,
  type ProfileLine,
  selfOf,
  summarizeProfile,
  totalOf,
} from './cpu-profile.js';
import { type LongFrameCauses, longFrameCauses, type SteadyCpu, steadyCpu } from './frame-causes.js';
import {
  anchorSpin,
  apiRequests,
  type FirstView,
  firstViewProbe,
  type LongFrame,
  pageNow,
  pageOrigin,
  readControl,
  readRecorder,
  startControl,
  startRecorder,
} from './page-probes.js';

/** Where the first view's time went (CPU profile of the load, by what the functions belong to). */
export interface LoadBreakdown {
  /** From navigation to the first pods list request, ms (the page's code loaded, discovery asked). */
  readonly podsListStartMs: number;
  /** From navigation to the last byte of the last pods list page, ms. */
  readonly podsListEndMs: number;
  readonly podsListRequests: number;
  readonly podsListMB: number;
  /** Each pods list page: `[start, first byte, last byte]` ms since navigation, and KB. */
  readonly podsListPages?: readonly (readonly [number, number, number, number])[];
  /**
   * Main-thread time in these parts during the load, ms. Parse: the reflector's `list` itself,
   * where each page's `JSON.parse` runs (a builtin: its samples are its caller's), and the parse
   * of watch lines.
   */
  readonly jsonParseMs: number;
  readonly dispatchMs: number;
  readonly reactMs: number;
  readonly gcMs: number;
  /**
   * Native work outside script and GC (`(program)`): in a traced load, mostly the response bodies
   * read from the network and decoded to text (`Response.text()`), then layout and paint.
   */
  readonly programMs?: number;
  readonly idleMs: number;
  readonly top: readonly ProfileLine[];
}

/** One page of the dashboard, from navigation to the end of its measured time. */
export interface PageRun {
  readonly firstViewMs: number;
  readonly breakdown?: LoadBreakdown;
  /** Frames after the first view (those overlapping a forced collection left out). */
  readonly frames: number;
  readonly frameMax: number;
  readonly frameP99: number;
  readonly framesOver50: number;
  /** The frames over 50 ms: seconds after the first view, and ms. */
  readonly longFrames: readonly (readonly [number, number])[];
  readonly longTasksOver50: number;
  /** The frames over 50 ms by how much of them was ours (see `LongFrameCauses`). */
  readonly longFramesBy: LongFrameCauses['by'];
  readonly longFrameCauses: LongFrameCauses['frames'];
  /**
   * With `profile`: the main thread's CPU over the measured time after the first view, ms per
   * second (the forced collections left out), by kind (see `windowOf`), and its largest functions.
   * Less noisy than counts of long frames on a loaded host.
   */
  readonly steady?: SteadyCpu;
  /** Long animation frames after the first view (forced collections left out), seconds after it. */
  readonly loafs: readonly LongFrame[];
  /**
   * Frames over 50 ms of an empty page that only counts its frames, beside the dashboard in the
   * same browser over the same time: what the machine alone costs (a shared, loaded host).
   */
  readonly controlFramesOver50: number;
  readonly controlFrameMax: number;
  /** With `profile`: the main thread's busy stretches over 50 ms after the first view, and what ran in them. */
  readonly busy?: readonly BusyStretch[];
  /** Pods events the page took per second, median. */
  readonly eventsPerSec: number;
  /** Live heap after a full collection, MB, at each sample (minutes after the first view). */
  readonly heap: readonly { readonly minute: number; readonly liveMB: number }[];
}

export interface PageOptions {
  readonly url: string;
  readonly pods: number;
  /** Seconds measured after the first view. */
  readonly seconds: number;
  /** Live heap taken every this many seconds (a forced collection; its frames are not judged). */
  readonly heapEverySec: number;
  readonly profile: boolean;
}

async function liveHeapMB(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize / 2 ** 20;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

/** Opens the dashboard in a new page and measures its first view, then its frames and heap. */
export async function runPage(context: BrowserContext, o: PageOptions): Promise<PageRun> {
  const page: Page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  try {
    if (o.profile) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    await page.goto(o.url);
    const handle = await page.waitForFunction(firstViewProbe, o.pods, { timeout: 180_000, polling: 'raf' });
    const first = (await handle.jsonValue()) as FirstView;
    let breakdown: LoadBreakdown | undefined;
    if (o.profile) {
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
      const requests = (await page.evaluate(apiRequests)).filter((r) => /\/pods\?/.test(r.name));
      breakdown = {
        podsListStartMs: Math.min(...requests.map((r) => r.start)),
        podsListEndMs: Math.max(0, ...requests.map((r) => r.end)),
        podsListRequests: requests.length,
        podsListMB: requests.reduce((a, r) => a + r.bytes, 0) / 2 ** 20,
        podsListPages: requests
          .sort((a, b) => a.start - b.start)
          .map((r) => [r.start, r.firstByte, r.end, r.bytes / 1024] as const),
        jsonParseMs:
          totalOf(profile, /^parse |JSON\.parse|^\(anonymous\) .*parseWatchLine|^parseWatchLine /) +
          selfOf(profile, /^list \S+\.js:/),
        dispatchMs: totalOf(profile, /^dispatch /),
        reactMs: totalOf(profile, /^(performWorkOnRoot|performSyncWorkOnRoot|commitRoot|renderRootSync) /),
        gcMs: totalOf(profile, /^\(garbage collector\)/),
        programMs: totalOf(profile, /^\(program\)/),
        idleMs: totalOf(profile, /^\(idle\)/),
        top: summarizeProfile(profile, 30),
      };
    }
    await page.evaluate(startRecorder);
    /** When the steady profile started, on the page's clock. */
    let profileAt = 0;
    let spunAt: number | undefined;
    if (o.profile && o.seconds > 0) {
      // Coarser than the load's: a long run, and a profiler that costs the page little.
      await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
      const a = await page.evaluate(pageNow);
      await cdp.send('Profiler.start');
      const b = await page.evaluate(pageNow);
      profileAt = (a + b) / 2;
      spunAt = await page.evaluate(anchorSpin);
    }
    const control = await context.newPage();
    await control.goto('about:blank');
    await control.evaluate(startControl);
    const heap: { minute: number; liveMB: number }[] = [];
    const excluded: [number, number][] = [];
    const t0 = Date.now();
    const sample = async () => {
      const a = await page.evaluate(pageNow);
      const liveMB = await liveHeapMB(cdp);
      const b = await page.evaluate(pageNow);
      excluded.push([a - 20, b + 20]);
      heap.push({ minute: (Date.now() - t0) / 60_000, liveMB });
    };
    await page.waitForTimeout(2000);
    await sample();
    const end = t0 + o.seconds * 1000;
    while (Date.now() < end) {
      await page.waitForTimeout(Math.min(o.heapEverySec * 1000, Math.max(0, end - Date.now())));
      if (Date.now() >= end - 500) break;
      await sample();
    }
    await sample();
    const steady =
      o.profile && o.seconds > 0
        ? ((await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile }).profile
        : undefined;
    const rec = await page.evaluate(readRecorder);
    const origin = await page.evaluate(pageOrigin);
    const controlFrames = (await control.evaluate(readControl)).filter(
      ([start, d]) =>
        !excluded.some(
          ([a, b]) => (start as number) < origin + b && (start as number) + (d as number) > origin + a,
        ),
    );
    await control.close();
    const judged = rec.frames.filter(
      ([start, d]) =>
        !excluded.some(([a, b]) => (start as number) < b && (start as number) + (d as number) > a),
    );
    const durations = judged.map(([, d]) => d as number);
    const longTasks = rec.longTasks.filter(
      ([start, d]) =>
        !excluded.some(([a, b]) => (start as number) < b && (start as number) + (d as number) > a),
    );
    const loafs = rec.loafs.filter(
      ([start, d]) => start >= first.at && !excluded.some(([a, b]) => start < b && start + d > a),
    );
    // Placed by its anchor where the profile caught it (to a sample), else by the round trip.
    const spun = steady && spunAt !== undefined ? firstSampleIn(steady, 'anchorSpin') : undefined;
    if (spun !== undefined && spunAt !== undefined) profileAt = spunAt - spun;
    const placed = steady ? { profile: steady, at: profileAt, bundle: new URL(o.url).origin } : undefined;
    const causes = longFrameCauses(judged, loafs, first.at, placed);
    const rates: number[] = [];
    for (let i = 1; i < rec.events.length; i++) {
      const [ta, ea] = rec.events[i - 1] as number[];
      const [tb, eb] = rec.events[i] as number[];
      rates.push((((eb as number) - (ea as number)) * 1000) / ((tb as number) - (ta as number)));
    }
    return {
      firstViewMs: first.at,
      ...(breakdown ? { breakdown } : {}),
      frames: durations.length,
      frameMax: Math.max(0, ...durations),
      frameP99: pct(durations, 99),
      framesOver50: durations.filter((d) => d > 50).length,
      longFrames: judged
        .filter(([, d]) => (d as number) > 50)
        .map(([start, d]) => [((start as number) - first.at) / 1000, d as number] as const),
      longTasksOver50: longTasks.length,
      longFramesBy: causes.by,
      longFrameCauses: causes.frames,
      ...(placed ? { steady: steadyCpu(placed, excluded) } : {}),
      loafs: loafs.map((l) => [(l[0] - first.at) / 1000, ...l.slice(1)] as unknown as LongFrame),
      controlFramesOver50: controlFrames.filter(([, d]) => (d as number) > 50).length,
      controlFrameMax: Math.max(0, ...controlFrames.map(([, d]) => d as number)),
      eventsPerSec: pct(rates, 50),
      ...(steady ? { busy: busyStretches(steady, 50) } : {}),
      heap,
    };
  } finally {
    await page.close();
  }
}
