import type { KubeProxyStats } from '@kates/proxy';
import type { PageRun } from './run-page.js';
import type { HeapResult } from './store-heap.js';

/** What one run of the scale benchmark measured. */
export interface ScaleResult {
  readonly server: string;
  readonly pods: number;
  readonly rate: number;
  readonly seconds: number;
  readonly date: string;
  readonly heaps: readonly HeapResult[];
  readonly modes: readonly {
    readonly mode: string;
    readonly cold: PageRun;
    readonly warm: PageRun;
    readonly upstream: KubeProxyStats['upstream'];
    /** The machine's 1-minute load average after the mode ran. */
    readonly load: number;
    /** With warm-up on (`warm` of the dashboard server): how long the proxy took to sync its caches before the first page. */
    readonly warmupMs?: number;
  }[];
}

const f0 = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(0));
const f1 = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(1));

/** The run as Markdown. */
export function renderScale(r: ScaleResult): string {
  const lines = [
    `## Dashboard at cluster scale: ${r.pods} pods, ${r.rate} changes/s, ${r.server} API server (${r.date})`,
    '',
  ];
  if (r.heaps.length > 0) {
    const full = r.heaps.find((h) => h.variant === 'full')?.heapMB ?? Number.NaN;
    lines.push(
      '### Store heap of a client holding the pods (Node, fresh process per form)',
      '',
      '| form | objects | heap MB | whole / this |',
      '|---|---|---|---|',
      ...r.heaps.map(
        (h) => `| ${h.variant} | ${h.objects} | ${f1(h.heapMB)} | ${(full / h.heapMB).toFixed(2)}x |`,
      ),
      '',
    );
  }
  lines.push(
    '### Chromium: the example dashboard (8 kinds, all namespaces) through the kates proxy',
    '',
    '| mode | proxy warm-up ms | first view, cold proxy (first page), ms | first view, warm, ms | pods list: start / end ms, pages, MB | parse / dispatch / React / GC ms | frames after (judged) | frame max / p99 ms | frames > 50 ms (control page: count, max) | of them with our work (script + GC, CPU profile) >= 50 / 10-50 / < 10 ms (no long animation frame) | events/s | live heap MB over time | load avg |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const m of r.modes) {
    const b = m.warm.breakdown;
    const by = m.warm.longFramesBy;
    lines.push(
      `| ${m.mode} | ${m.warmupMs === undefined ? 'off' : f0(m.warmupMs)} | ${f0(m.cold.firstViewMs)} | ${f0(m.warm.firstViewMs)} | ${b ? `${f0(b.podsListStartMs)} / ${f0(b.podsListEndMs)}, ${b.podsListRequests}, ${f1(b.podsListMB)}` : '-'} | ${b ? `${f0(b.jsonParseMs)} / ${f0(b.dispatchMs)} / ${f0(b.reactMs)} / ${f0(b.gcMs)}` : '-'} | ${m.warm.frames} | ${f0(m.warm.frameMax)} / ${f0(m.warm.frameP99)} | ${m.warm.framesOver50} (${m.warm.controlFramesOver50}, ${f0(m.warm.controlFrameMax)}) | ${by ? `${by.ours50} / ${by.ours10} / ${by.without} (${by.noLoaf})` : '-'} | ${f0(m.warm.eventsPerSec)} | ${m.warm.heap.map((h) => `${f1(h.minute)}m: ${f1(h.liveMB)}`).join(', ')} | ${f1(m.load)} |`,
    );
  }
  if (r.modes.some((m) => m.cold.breakdown || m.warm.breakdown)) {
    lines.push(
      '',
      '### Where each first view went (CPU profile of the load; pods list pages by Resource Timing)',
      '',
      '| mode | page | first view ms | pods list pages: start / first byte / last byte ms, KB | parse / dispatch / React / GC / other native / idle ms |',
      '|---|---|---|---|---|',
    );
    for (const m of r.modes) {
      for (const [page, run] of [
        ['first', m.cold],
        ['second', m.warm],
      ] as const) {
        const b = run.breakdown;
        if (!b) continue;
        const pages = (b.podsListPages ?? [])
          .map(([start, first, end, kb]) => `${f0(start)} / ${f0(first)} / ${f0(end)}, ${f0(kb)}`)
          .join('; ');
        lines.push(
          `| ${m.mode} | ${page} | ${f0(run.firstViewMs)} | ${pages || '-'} | ${f0(b.jsonParseMs)} / ${f0(b.dispatchMs)} / ${f0(b.reactMs)} / ${f0(b.gcMs)} / ${f0(b.programMs)} / ${f0(b.idleMs)} |`,
        );
      }
    }
  }
  for (const m of r.modes) {
    if (m.warm.longFrames.length === 0) continue;
    lines.push(
      '',
      `${m.mode}: frames over 50 ms (s after the first view: ms): ${m.warm.longFrames.map(([t, d]) => `${t.toFixed(1)}: ${d.toFixed(0)}`).join(', ')}`,
    );
  }
  if (r.modes.some((m) => m.warm.steady)) {
    lines.push(
      '',
      "### The page's main thread after the first view (CPU profile, ms per second; forced collections left out)",
      '',
      '| mode | seconds | our script | GC | other native | idle | not running | load avg |',
      '|---|---|---|---|---|---|---|---|',
      ...r.modes.flatMap((m) => {
        const s = m.warm.steady;
        if (!s) return [];
        const p = s.perSec;
        return [
          `| ${m.mode} | ${f0(s.seconds)} | ${f1(p.script)} | ${f1(p.gc)} | ${f1(p.program)} | ${f1(p.idle)} | ${f1(p.gap)} | ${f1(m.load)} |`,
        ];
      }),
    );
    for (const m of r.modes) {
      const s = m.warm.steady;
      if (!s) continue;
      lines.push(
        '',
        `${m.mode}: largest functions after the first view (self / total ms over ${f0(s.seconds)} s): ${s.top
          .filter((t) => !/^\((idle|program|root)\)/.test(t.fn))
          .slice(0, 12)
          .map((t) => `${t.fn} ${f0(t.selfMs)} / ${f0(t.totalMs)}`)
          .join(', ')}`,
      );
    }
  }
  for (const m of r.modes) {
    if (!m.warm.longFrameCauses?.length) continue;
    lines.push(
      '',
      `${m.mode}: each frame over 50 ms (s after the first view: ms; our script by long animation frames; CPU profile: our script, GC, other native work, idle, not running ms; its largest functions):`,
      ...m.warm.longFrameCauses.map(({ at, ms, loafScript, profile: p }) =>
        p
          ? `- ${at.toFixed(1)}: ${f0(ms)}; ${f0(loafScript)}; ${f0(p.script)}, ${f0(p.gc)}, ${f0(p.program)}, ${f0(p.idle)}, ${f0(p.gap)}; ${p.top.join(', ')}`
          : `- ${at.toFixed(1)}: ${f0(ms)}; ${f0(loafScript)}`,
      ),
    );
  }
  for (const m of r.modes) {
    if (!m.warm.loafs?.length) continue;
    lines.push(
      '',
      `${m.mode}: long animation frames (s after the first view: ms; blocking, render, style+layout, our script, other script, forced layout ms; longest scripts):`,
      ...m.warm.loafs.map(
        ([t, d, blocking, render, layout, ours, other, forced, scripts]) =>
          `- ${t.toFixed(1)}: ${f0(d)}; ${f0(blocking)}, ${f0(render)}, ${f0(layout)}, ${f0(ours)}, ${f0(other)}, ${f0(forced)}; ${scripts.join(', ')}`,
      ),
    );
  }
  for (const m of r.modes) {
    if (!m.warm.busy?.length) continue;
    lines.push(
      '',
      `${m.mode}: main thread busy over 50 ms without a break after the first view (CPU profile; the forced collections included):`,
      ...m.warm.busy.map(
        (b) =>
          `- at ${(b.at / 1000).toFixed(1)} s, ${f0(b.ms)} ms: ${b.top.map((t) => `${t.fn} ${f0(t.ms)}`).join(', ')}`,
      ),
    );
  }
  for (const m of r.modes) {
    const b = m.warm.breakdown;
    if (!b) continue;
    lines.push(
      '',
      `#### ${m.mode}: where the warm first view's main thread went (CPU profile, self ms / total ms)`,
      '',
      ...b.top.map((t) => `- ${t.fn}: ${f1(t.selfMs)} / ${f1(t.totalMs)}`),
    );
  }
  return `${lines.join('\n')}\n`;
}
