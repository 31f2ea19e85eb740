/**
 * Functions evaluated in the dashboard's page (Playwright serializes them: they close over
 * nothing). Times are the page's `performance.now()`, ms since navigation started.
 */

/** What the page reports once its first complete view is on screen. */
export interface FirstView {
  /** ms from navigation to every query synced and the pods table showing its rows. */
  readonly at: number;
  readonly rows: number;
}

/**
 * The first complete view, checked once per frame: every query has listed (the status bar says
 * `synced`), the pods table counts `pods` rows, and its first rows are in the DOM.
 */
export function firstViewProbe(pods: number): FirstView | false {
  const bar = document.querySelector<HTMLElement>('[data-testid="status-bar"]');
  const table = document.querySelector<HTMLElement>('[data-testid="table-pods"]');
  const rows = Number(table?.dataset.rows ?? 0);
  if (bar?.dataset.synced !== 'true' || rows < pods || !table?.querySelector('.row[data-name]')) return false;
  return { at: performance.now(), rows };
}

/**
 * Timings of the page's API requests (Resource Timing): where the list transfer went. `firstByte`
 * less `start` is the proxy's answer (and the wait for a connection); `end` less `firstByte`, the
 * body on the wire and in the page's network reads.
 */
export function apiRequests(): {
  name: string;
  start: number;
  firstByte: number;
  end: number;
  bytes: number;
}[] {
  return performance
    .getEntriesByType('resource')
    .filter((e) => /\/api\/|\/apis\//.test(e.name))
    .map((e) => {
      const r = e as PerformanceResourceTiming;
      return {
        name: r.name.replace(location.origin, ''),
        start: r.startTime,
        firstByte: r.responseStart,
        end: r.responseEnd,
        bytes: r.encodedBodySize,
      };
    });
}

/**
 * One long animation frame (Long Animation Frames API, frames over 50 ms), with what ran in it:
 * `[start, duration, blockingDuration, renderMs, styleAndLayoutMs, ourScriptMs, otherScriptMs,
 * forcedStyleAndLayoutMs]` and its longest scripts as `invoker (function) ms`. "Ours" are the
 * scripts of the page's own origin (its bundle: React, the store, the stream's reader); "other"
 * are scripts from elsewhere (the bench's own evaluations). The rest of the frame ran no script
 * over 5 ms: rendering (style, layout, paint), or a main thread the machine did not schedule.
 */
export type LongFrame = [number, number, number, number, number, number, number, number, string[]];

/** What the recorder holds. */
export interface Recording {
  /** `[start, duration]` of every frame (requestAnimationFrame to requestAnimationFrame). */
  readonly frames: number[][];
  readonly longTasks: number[][];
  /** `[time, pods events]` each second. */
  readonly events: number[][];
  readonly loafs: LongFrame[];
}

/**
 * Starts recording every frame (requestAnimationFrame), long task and long animation frame into
 * `window.__scale`.
 */
export function startRecorder(): void {
  const w = window as unknown as { __scale?: Recording };
  const rec: Recording = { frames: [], longTasks: [], events: [], loafs: [] };
  w.__scale = rec;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) rec.longTasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask' });
  interface Script {
    readonly duration: number;
    readonly invoker: string;
    readonly sourceURL: string;
    readonly sourceFunctionName: string;
    readonly forcedStyleAndLayoutDuration: number;
  }
  interface Loaf extends PerformanceEntry {
    readonly blockingDuration: number;
    readonly renderStart: number;
    readonly styleAndLayoutStart: number;
    readonly scripts: readonly Script[];
  }
  if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as Loaf[]) {
        let ours = 0;
        let other = 0;
        let forced = 0;
        for (const s of e.scripts) {
          if (s.sourceURL.startsWith(location.origin)) ours += s.duration;
          else other += s.duration;
          forced += s.forcedStyleAndLayoutDuration;
        }
        const end = e.startTime + e.duration;
        rec.loafs.push([
          e.startTime,
          e.duration,
          e.blockingDuration,
          e.renderStart > 0 ? end - e.renderStart : 0,
          e.styleAndLayoutStart > 0 ? end - e.styleAndLayoutStart : 0,
          ours,
          other,
          forced,
          [...e.scripts]
            .sort((a, b) => b.duration - a.duration)
            .slice(0, 3)
            .map(
              (s) =>
                `${s.invoker} (${s.sourceFunctionName || '?'}${s.sourceURL.startsWith(location.origin) ? '' : ` ${s.sourceURL || 'no url'}`}) ${s.duration.toFixed(0)}`,
            ),
        ]);
      }
    }).observe({ type: 'long-animation-frame' });
  }
  let last = performance.now();
  const tick = (now: number) => {
    rec.frames.push([last, now - last]);
    last = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const pods = () =>
    Number(document.querySelector<HTMLElement>('[data-testid="status-pods"]')?.dataset.events);
  setInterval(() => rec.events.push([performance.now(), pods()]), 1000);
}

/** What {@link startRecorder} recorded. */
export function readRecorder(): Recording {
  return (window as unknown as { __scale: Recording }).__scale;
}

/** The page's clock, to mark windows (forced collections) that frames are not judged in. */
export function pageNow(): number {
  return performance.now();
}

/** An empty page's frames (`[start, duration]`, start in ms since the epoch), recorded into `window.__control`. */
export function startControl(): void {
  const frames: number[][] = [];
  (window as unknown as { __control: number[][] }).__control = frames;
  let last = performance.now();
  const tick = (now: number) => {
    frames.push([performance.timeOrigin + last, now - last]);
    last = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

/** The page's time origin, ms since the epoch: to put its clock beside another page's. */
export function pageOrigin(): number {
  return performance.timeOrigin;
}

/** What {@link startControl} recorded. */
export function readControl(): number[][] {
  return (window as unknown as { __control: number[][] }).__control;
}

/**
 * Keeps the main thread busy for 20 ms and returns when it began, on the page's clock: a CPU
 * profile shows `anchorSpin` from that moment, which places the profile on the page's clock to a
 * sample or two (a round trip to the page, on a loaded host, can take tens of ms).
 */
export function anchorSpin(): number {
  const t = performance.now();
  while (performance.now() - t < 20) {
    // busy
  }
  return t;
}
