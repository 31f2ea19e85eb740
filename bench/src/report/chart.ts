import { isFloor } from '../consumers/floor.js';
import type { StoreBenchResult } from '../micro/store-bench.js';
import type { BenchResults } from '../results.js';
import { failed } from '../scenarios/micro.js';
import { browserCharts } from './browser.js';
import { trueFloor } from './floor.js';
import { type LineChart, renderCharts } from './svg.js';

/** bench/results.svg: bootstrap time by N (fake server, both kinds) and update cost by N. */
export function renderChart(r: BenchResults): string {
  const bootstrap = (kind: string): LineChart => {
    const rows = r.fake.bootstrap.filter((b) => b.kind === kind && !b.error);
    // The floor peers as one series: the true floor, the fastest of them at each N.
    const peers = [...new Set(rows.map((b) => b.peer))].filter((p) => !isFloor(p));
    const ns = [...new Set(rows.map((b) => b.n))];
    const floor = ns.flatMap((n) => {
      const f = trueFloor(rows, kind, n);
      return f ? [[n, f.median] as const] : [];
    });
    return {
      title: `Bootstrap, ${kind}s (in-memory server)`,
      xLabel: 'objects',
      yLabel: 'ms to first complete snapshot',
      series: [
        ...(floor.length ? [{ name: 'true floor', points: floor }] : []),
        ...peers.map((peer) => ({
          name: peer,
          points: rows.filter((b) => b.peer === peer).map((b) => [b.n, b.ms.median] as const),
        })),
      ],
    };
  };
  const store = r.store.filter((s): s is StoreBenchResult => !failed(s) && s.kind === 'Pod');
  const update: LineChart = {
    title: 'update(snapshot) after one change (Pods)',
    xLabel: 'objects',
    yLabel: 'ms',
    series: (['kates', 'entity-adapter'] as const).map((impl) => ({
      name: impl,
      points: store.filter((s) => s.impl === impl).map((s) => [s.n, s.updateMs.median] as const),
    })),
  };
  return renderCharts(
    [bootstrap('ConfigMap'), bootstrap('Pod'), update],
    `kates-ts bench, ${r.mode} run of ${r.startedAt.slice(0, 16)}Z on ${r.machine.cores} cores; log-log; medians.`,
  );
}

/** bench/results-browser.svg: the browser part's work per second and heap by event rate, or undefined. */
export function renderBrowserChart(r: BenchResults): string | undefined {
  const b = r.browser;
  if (!b || b.error || b.rates.length === 0) return undefined;
  return renderCharts(
    browserCharts(b),
    `kates-ts browser bench, ${b.pods} pods, ${b.date}, ${r.machine.cores} cores (shared); log-log; median runs.`,
  );
}
