import { Profiler } from 'react';
import { createRoot } from 'react-dom/client';
import { indexOf, sortedPods, startChurn, VISIBLE } from './churn.js';
import { katesVariant } from './kates.js';
import { commitLatencies, emitted, resetLatencies } from './latency.js';
import { naiveVariant } from './naive.js';

/** What the page reports to the runner. */
export interface BenchResult {
  readonly variant: string;
  readonly events: number;
  readonly commits: number[];
  /** Time to hand each event to the variant (store dispatch and subscriptions, or setState), ms. */
  readonly ingest: number[];
  /** kates: time of each frame's notification (view, selectors, row wake-ups), ms; naive: none. */
  readonly flushes: number[];
  readonly frames: number[];
  /** Event to the commit of its row, for events of pods in view, ms. */
  readonly latencies: number[];
  readonly longTasks: number[];
  readonly heapMB: number | undefined;
}

declare global {
  interface Window {
    __bench?: BenchResult | { error: string };
    /** `measuring` from the first churn event to the result: when a profiler should record. */
    __benchPhase?: 'setup' | 'measuring';
  }
}

async function run(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const variant = params.get('variant') ?? 'kates';
  const count = Number(params.get('pods') ?? 10_000);
  const rate = Number(params.get('rate') ?? 100);
  const seconds = Number(params.get('seconds') ?? 10);
  const pods = sortedPods(count);
  const inView = pods.slice(0, VISIBLE).map(indexOf);
  const tracked = new Set(inView);
  const all = variant.endsWith('-all');
  const allFlushes: number[] = [];
  const { ui, emit } = variant.startsWith('kates')
    ? await katesVariant(pods, all, allFlushes)
    : naiveVariant(pods, all);
  const commits: number[] = [];
  let measuring = false;
  createRoot(document.getElementById('root')!).render(
    <Profiler
      id={variant}
      onRender={(_id, _phase, actual) => {
        if (measuring) commits.push(actual);
      }}
    >
      {ui}
    </Profiler>,
  );
  // Let the first render and layout settle before measuring.
  await new Promise((r) => setTimeout(r, 1500));
  const frames: number[] = [];
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push(e.duration);
  });
  observer.observe({ type: 'longtask', buffered: false });
  let events = 0;
  const ingest: number[] = [];
  measuring = true;
  const flushesBefore = allFlushes.length;
  window.__benchPhase = 'measuring';
  resetLatencies();
  const stop = startChurn(count, rate, inView, (obj) => {
    events++;
    if (tracked.has(indexOf(obj))) emitted(obj.metadata!.uid!, obj.metadata!.resourceVersion!);
    const t = performance.now();
    emit(obj);
    ingest.push(performance.now() - t);
  });
  let last = performance.now();
  const end = last + seconds * 1000;
  await new Promise<void>((resolve) => {
    const tick = (now: number) => {
      frames.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(tick);
      else resolve();
    };
    requestAnimationFrame(tick);
  });
  stop();
  measuring = false;
  observer.disconnect();
  const memory = (performance as { memory?: { usedJSHeapSize: number } }).memory;
  window.__bench = {
    variant,
    events,
    commits,
    ingest,
    flushes: allFlushes.slice(flushesBefore),
    frames,
    latencies: commitLatencies.slice(),
    longTasks,
    heapMB: memory ? Math.round(memory.usedJSHeapSize / 1048576) : undefined,
  };
}

run().catch((e: unknown) => {
  window.__bench = { error: String((e as Error)?.stack ?? e) };
});
