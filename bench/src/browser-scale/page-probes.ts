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

/** Timings of the page's API requests (Resource Timing): where the list transfer went. */
export function apiRequests(): { name: string; start: number; end: number; bytes: number }[] {
  return performance
    .getEntriesByType('resource')
    .filter((e) => /\/api\/|\/apis\//.test(e.name))
    .map((e) => {
      const r = e as PerformanceResourceTiming;
      return {
        name: r.name.replace(location.origin, ''),
        start: r.startTime,
        end: r.responseEnd,
        bytes: r.encodedBodySize,
      };
    });
}

/** Starts recording every frame (requestAnimationFrame) and long task into `window.__scale`. */
export function startRecorder(): void {
  const w = window as unknown as {
    __scale?: { frames: number[][]; longTasks: number[][]; events: number[][] };
  };
  const rec = { frames: [] as number[][], longTasks: [] as number[][], events: [] as number[][] };
  w.__scale = rec;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) rec.longTasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask' });
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

/** What the recorder holds: `[start, duration]` frames and long tasks, `[time, pods events]` each second. */
export function readRecorder(): { frames: number[][]; longTasks: number[][]; events: number[][] } {
  const w = window as unknown as {
    __scale: { frames: number[][]; longTasks: number[][]; events: number[][] };
  };
  return w.__scale;
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
