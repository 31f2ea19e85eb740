import type { LineChart } from './svg.js';

/**
 * One variant of the browser benchmark at one event rate (bench/browser/run.mjs). Times in ms;
 * `...MsPerS` in ms of main-thread work per second of the run.
 */
export interface BrowserRow {
  readonly variant: string;
  readonly events: number;
  /** Time to hand one event over (kates: store dispatch and accumulator; naive: setState). */
  readonly ingestP50?: number;
  readonly ingestP95?: number;
  /** The kates provider's notifications, one per frame with changes (view, selectors, row wake-ups). */
  readonly flushes: number;
  readonly flushP50?: number;
  readonly flushP95?: number;
  /** (ingest + flushes) / events. */
  readonly perEventMs?: number;
  readonly commits: number;
  readonly commitP50: number;
  readonly commitP95: number;
  readonly commitMax: number;
  /** From handing over an event of a pod in view to the commit of its row. */
  readonly latencyP50?: number;
  readonly latencyP95?: number;
  readonly latencyMax?: number;
  readonly reactMsPerS: number;
  /** (ingest + flushes + React commits) per second: what issue 24's bar compares. */
  readonly busyMsPerS: number;
  /** The page's task time per second (Chrome DevTools Protocol `TaskDuration`). */
  readonly mainMsPerS: number;
  readonly scriptMsPerS: number;
  readonly fps: number;
  readonly frameP50: number;
  readonly frameP95: number;
  readonly frameP99: number;
  readonly frameMax: number;
  readonly longFrames: number;
  readonly blockingMs: number;
  /** Live JS heap after a full GC. */
  readonly heapLiveMB: number;
  readonly syncedMs?: number;
}

/** What `bench/browser/run.mjs --json` writes, and `npm run bench` keeps as `browser`. */
export interface BrowserBenchResults {
  readonly pods: number;
  readonly seconds: number;
  readonly repeat: number;
  readonly date: string;
  readonly rates: readonly { readonly rate: number; readonly rows: readonly BrowserRow[] }[];
  readonly notes: readonly string[];
  /** Why the part did not run (no Chromium, a failed build). */
  readonly error?: string;
}

const f = (x: number | undefined, digits: number) => (x === undefined ? '-' : x.toFixed(digits));

/** kates against the naive list, from the rows of one rate. */
export function browserRatios(rows: readonly BrowserRow[]) {
  const of = (v: string) => rows.find((r) => r.variant === v);
  const out: { pair: string; busy: number; main: number; heap: number }[] = [];
  for (const [k, n] of [
    ['kates', 'naive'],
    ['kates-all', 'naive-all'],
  ] as const) {
    const a = of(k);
    const b = of(n);
    if (!a || !b) continue;
    out.push({
      pair: `${k} / ${n}`,
      busy: a.busyMsPerS / b.busyMsPerS,
      main: a.mainMsPerS / b.mainMsPerS,
      heap: a.heapLiveMB / b.heapLiveMB,
    });
  }
  return out;
}

function row(r: BrowserRow): string {
  const synthetic = r.ingestP50 !== undefined;
  const cells = [
    r.variant,
    `${r.events}`,
    synthetic ? `${f(r.ingestP50, 3)} / ${f(r.ingestP95, 3)}` : '-',
    r.flushes ? `${r.flushes}: ${f(r.flushP50, 2)} / ${f(r.flushP95, 2)}` : '-',
    synthetic ? f(r.perEventMs, 3) : '-',
    r.commits ? `${r.commits}: ${f(r.commitP50, 1)} / ${f(r.commitP95, 1)} / ${f(r.commitMax, 1)}` : '-',
    r.latencyP50 === undefined
      ? '-'
      : `${f(r.latencyP50, 1)} / ${f(r.latencyP95, 1)} / ${f(r.latencyMax, 1)}`,
    r.commits ? f(r.reactMsPerS, 1) : '-',
    synthetic ? `**${f(r.busyMsPerS, 1)}**` : '-',
    f(r.mainMsPerS, 1),
    f(r.fps, 1),
    `${f(r.frameP50, 1)} / ${f(r.frameP95, 1)} / ${f(r.frameP99, 1)} / ${f(r.frameMax, 1)}`,
    `${r.longFrames}`,
    `${Math.round(r.blockingMs)}`,
    f(r.heapLiveMB, 1),
  ];
  return `| ${cells.join(' | ')} |`;
}

const HEAD =
  '| variant | events | ingest p50 / p95 (ms) | flushes: p50 / p95 (ms) | per event (ms) | commits: p50 / p95 / max (ms) ' +
  '| event to commit p50 / p95 / max (ms) | React ms/s | ingest + React ms/s | main thread ms/s | fps ' +
  '| frame p50 / p95 / p99 / max (ms) | frames > 50 ms | blocking (ms) | live heap (MB) |\n' +
  '|---|---:|---|---|---:|---|---|---:|---:|---:|---:|---|---:|---:|---:|';

/** What the columns mean. */
export const BROWSER_LEGEND =
  'Synthetic variants: a fifth of the events modify a pod in view, the rest any pod; each changes the ' +
  "pod's phase, so the summary counts change too; each event is its own action (as when each arrives in a " +
  'network chunk of its own). **Ingest** = time to hand one event over (kates: store dispatch and the ' +
  "accumulator; naive: setState). **Flushes** = the kates provider's work once per frame with changes (view, " +
  'selectors, row wake-ups). **Per event** = (ingest + flushes) / events. **Commit** = React Profiler ' +
  'actualDuration (render work). **Event to commit** = from handing over an event of a pod in view to the ' +
  'commit of its row (React commits and the browser paints in one frame). **ingest + React** = (ingest + ' +
  "flushes + commits) per second. **Main thread** = the page's task time per second (CDP `TaskDuration`: " +
  'scripts, style, layout, the churn generator itself). Frame = requestAnimationFrame interval. Blocking = ' +
  'long-task time over 50 ms. Live heap = JS heap after a full GC.';

/** The tables of a browser run, one per rate, each followed by the kates / naive ratios. */
export function browserTables(r: BrowserBenchResults): string {
  const parts: string[] = [];
  for (const { rate, rows } of r.rates) {
    parts.push(`### ${rate} watch events/s`, `${HEAD}\n${rows.map(row).join('\n')}`);
    const ratios = browserRatios(rows);
    if (ratios.length) {
      parts.push(
        ratios
          .map(
            (x) =>
              `${x.pair}: ingest + React ${x.busy.toFixed(2)}x, main thread ${x.main.toFixed(2)}x, live heap ${x.heap.toFixed(2)}x.`,
          )
          .join(' '),
      );
    }
  }
  const synced = r.rates.flatMap((x) => x.rows).find((x) => x.variant === 'dashboard')?.syncedMs;
  parts.push(
    'Variants: **kates** = `KatesProvider` over an accumulator (one notification per frame), rows subscribed to ' +
      'their own object (`useQueryItem`), list subscribed to uids (`useQueryUids`), phase counts by `countBy`, ' +
      'virtualized. **naive** = list in `useState`, copied per event, counted per render, virtualized. ' +
      '**kates-all** and **naive-all** = the same without virtualization (all rows in the DOM). **dashboard** = ' +
      'examples/dashboard end to end: embedded API server, status patches at the rate, kates proxy, browser ' +
      `transport, reflector, store, hooks${synced ? `; the pods query synced ${synced} ms after navigation` : ''}.`,
    ...r.notes,
  );
  return parts.join('\n\n');
}

/**
 * A time the page measured, ms, to the microsecond. Chromium's `performance.now()` reads in steps
 * of 5 us at best, so a difference of two readings is a whole number of steps give or take float
 * error: the ingest p50 of the run of 2026-12-07 20:35 was 0.10000000149011612 ms, 20 steps, and
 * `<= 0.1` called it missed.
 */
const atClock = (ms: number) => Math.round(ms * 1000) / 1000;

/** The bar of issue 24, row by row: what it asks, what this run measured, met or not. */
function bar(r: BrowserBenchResults): string {
  const rows: string[][] = [];
  const verdict = (ok: boolean) => (ok ? '**met**' : '**missed**');
  for (const { rate, rows: rs } of r.rates) {
    const kates = rs.find((x) => x.variant === 'kates');
    const naive = rs.find((x) => x.variant === 'naive');
    if (!kates || !naive) continue;
    rows.push([
      `${rate} events/s: kates ingest + React ms/s ≤ the naive list's`,
      `${f(kates.busyMsPerS, 1)} against ${f(naive.busyMsPerS, 1)} (${(kates.busyMsPerS / naive.busyMsPerS).toFixed(2)}x)`,
      verdict(kates.busyMsPerS <= naive.busyMsPerS),
    ]);
    rows.push([
      `${rate} events/s: ingest p50 ≤ 0.1 ms per event`,
      `${f(kates.ingestP50, 3)} ms (with the frame's flush spread over its events: ${f(kates.perEventMs, 3)} ms)`,
      verdict(atClock(kates.ingestP50 ?? Number.POSITIVE_INFINITY) <= 0.1),
    ]);
    rows.push([
      `${rate} events/s: live heap ≤ 1.5x the naive list's`,
      `${f(kates.heapLiveMB, 1)} MB against ${f(naive.heapLiveMB, 1)} MB (${(kates.heapLiveMB / naive.heapLiveMB).toFixed(2)}x)`,
      verdict(kates.heapLiveMB <= 1.5 * naive.heapLiveMB),
    ]);
    if (rate >= 1000) {
      rows.push([
        `${rate} events/s: no frame over 50 ms`,
        `${kates.longFrames} (longest ${f(kates.frameMax, 1)} ms; long tasks of the page over 50 ms: ${Math.round(kates.blockingMs)} ms)`,
        verdict(kates.longFrames === 0),
      ]);
    }
  }
  if (rows.length === 0) return '';
  return ['| bar | this run | |', '|---|---|---|', ...rows.map((x) => `| ${x.join(' | ')} |`)].join('\n');
}

/** The browser section of RESULTS.md, or a line saying why it is missing. */
export function browserSection(r: BrowserBenchResults | undefined): string {
  const title = '## Browser: 10k pods in Chromium (issue 24)';
  if (!r) return `${title}\n\n_Not run in this run (\`--only=browser\` runs it)._`;
  if (r.error) return `${title}\n\nThe browser part failed: ${r.error}`;
  return [
    title,
    `${r.pods.toLocaleString('en-US')} pods, watch events at ${r.rates.map((x) => x.rate).join(' and ')} per second ` +
      `for ${r.seconds} s, Chromium (headless) driven by \`bench/browser/run.mjs\`, React 19 production build ` +
      `(profiling build for the synthetic variants); ${r.repeat > 1 ? `median of ${r.repeat} runs by frame p95` : 'one run per variant'}. ` +
      '`node bench/browser/profile.mjs` shows where the time and the heap of one variant go.',
    bar(r),
    '![main-thread work per second by event rate](results-browser.svg)',
    BROWSER_LEGEND,
    browserTables(r),
  ]
    .filter((x) => x !== '')
    .join('\n\n');
}

/** The charts of the browser part: work per second and live heap, by event rate, per variant. */
export function browserCharts(r: BrowserBenchResults): LineChart[] {
  const variants = [...new Set(r.rates.flatMap((x) => x.rows.map((y) => y.variant)))];
  const series = (value: (row: BrowserRow) => number) =>
    variants.map((name) => ({
      name,
      points: r.rates.flatMap(({ rate, rows }) => {
        const found = rows.find((x) => x.variant === name);
        return found ? [[rate, value(found)] as const] : [];
      }),
    }));
  return [
    {
      title: 'Ingest + React, 10k pods',
      xLabel: 'watch events/s',
      yLabel: 'ms of work per s',
      series: series((x) => (x.ingestP50 === undefined ? Number.NaN : x.busyMsPerS)),
    },
    {
      title: 'Main thread (CDP TaskDuration)',
      xLabel: 'watch events/s',
      yLabel: 'ms busy per s',
      series: series((x) => x.mainMsPerS),
    },
    {
      title: 'Live JS heap after GC',
      xLabel: 'watch events/s',
      yLabel: 'MB',
      series: series((x) => x.heapLiveMB),
    },
  ];
}
