import type { FloodRun } from './run-flood.js';

/** What one run of the flood benchmark measured. */
export interface FloodResult {
  readonly server: string;
  readonly pods: number;
  /** Bytes of the large annotation on each pod, and the size of a pod as the API server returns it. */
  readonly payloadBytes: number;
  readonly objectBytes: number;
  /** The write rate asked for, and the bytes/s of watch events it makes (rate x object size). */
  readonly ratePerSec: number;
  readonly targetMBps: number;
  readonly seconds: number;
  /** A slow browser: the proxy-to-browser relay's limit, MB/s. */
  readonly downstreamLimitMBps?: number;
  readonly date: string;
  readonly modes: readonly (
    | FloodRun
    | { readonly mode: string; readonly failure: string; readonly load: readonly [number, number] }
  )[];
}

const f0 = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(0));
const f1 = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(1));
const isRun = (m: FloodResult['modes'][number]): m is FloodRun => 'writer' in m;

/** The run as a Markdown section. */
export function renderFlood(r: FloodResult): string {
  const lines = [
    `## Dashboard under a watch flood: ${r.pods} pods of ${f0(r.objectBytes / 1024)} KB, ${r.ratePerSec} writes/s (${f1(r.targetMBps)} MB/s of watch events asked), ${r.seconds} s, ${r.server === 'replay' ? 'the replay source (a synthetic upstream, NOT an API server: pre-serialized pods events at the rate asked for; the in-memory API server for everything else)' : `${r.server} API server`}${r.downstreamLimitMBps ? `, a slow browser (proxy to browser at most ${r.downstreamLimitMBps} MB/s)` : ''} (${r.date})`,
    '',
    r.server === 'replay'
      ? "Each event is a MODIFIED pod with a new, increasing resourceVersion, made by the source itself (no writes: the writes/s column is events made/s, with no acks); each carries the whole pod (its large annotation included). Bytes are counted on the wire by TCP relays: source to proxy (upstream, TLS) and proxy to browser (downstream). Heaps: live = after a full collection; the tab's samples below are without one."
      : "Each write patches a small annotation; each watch event carries the whole pod (its large annotation included). Bytes are counted on the wire by TCP relays: API server to proxy (upstream, TLS) and proxy to browser (downstream). Heaps: live = after a full collection; the tab's samples below are without one.",
    '',
    '| mode | writes/s done (acked p50 / p99 ms, behind) | upstream MB/s | downstream MB/s | page events/s | frames > 50 ms / frames (max, p99 ms; control page > 50, max) | tab live heap MB before / mid / end / after | proxy live heap MB before / mid / end / after | proxy RSS MB before / max / after | converged after the flood, ms (after the last write) | page = fresh LIST | load avg start / end |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const m of r.modes) {
    if (!isRun(m)) {
      lines.push(
        `| ${m.mode} | failed: ${m.failure.split('\n')[0]} |||||||||| ${f1(m.load[0])} / ${f1(m.load[1])} |`,
      );
      continue;
    }
    const w = m.writer;
    const c = m.convergence;
    lines.push(
      `| ${m.mode}${m.failure ? ` (${m.failure})` : ''} | ${f0(w.writes / w.seconds)} (${f0(w.ackMs.p50)} / ${f0(w.ackMs.p99)}, ${w.behind}${w.errors ? `, ${w.errors} errors` : ''}) | ${f1(m.upstream.MBps)} | ${f1(m.downstream.MBps)} | ${f0(m.pageEventsPerSec)} | ${m.frames.over50} / ${m.frames.count} (${f0(m.frames.max)}, ${f0(m.frames.p99)}; ${m.control.over50}, ${f0(m.control.max)}) | ${f1(m.pageLiveMB.before)} / ${f1(m.pageLiveMB.mid)} / ${f1(m.pageLiveMB.end)} / ${f1(m.pageLiveMB.after)} | ${f0(m.proxyLiveMB.before)} / ${f0(m.proxyLiveMB.mid)} / ${f0(m.proxyLiveMB.end)} / ${f0(m.proxyLiveMB.after)} | ${f0(m.proxyRssMB.before)} / ${f0(m.proxyRssMB.max)} / ${f0(m.proxyRssMB.after)} | ${c.fromFloodEndMs === undefined ? 'never' : `${f0(c.fromFloodEndMs)} (${f0(c.fromMarkerMs)})`} | ${c.equal ? 'yes' : `no: ${c.differing} differ`} (${c.storePods} / ${c.listPods}) | ${f1(m.load[0])} / ${f1(m.load[1])} |`,
    );
  }
  for (const m of r.modes) {
    if (!isRun(m)) continue;
    lines.push(
      '',
      `${m.mode}, every ${m.samples.length > 1 ? f0((m.samples[1]?.t ?? 0) - (m.samples[0]?.t ?? 0)) : '-'} s (s: upstream / downstream MB/s, page events/s, tab heap MB, proxy heap / RSS MB, proxy CPU % of a core): ${m.samples
        .map(
          (s) =>
            `${f0(s.t)}: ${f1(s.upstreamMBps)} / ${f1(s.downstreamMBps)}, ${f0(s.pageEventsPerSec)}, ${f0(s.pageHeapMB)}, ${f0(s.proxyHeapMB)} / ${f0(s.proxyRssMB)}${s.proxyCpuPct === undefined ? '' : `, ${f0(s.proxyCpuPct)}%`}`,
        )
        .join('; ')}`,
    );
    if (m.frames.long.length > 0)
      lines.push(
        '',
        `${m.mode}: frames over 50 ms (s after the flood started: ms): ${m.frames.long.map(([t, d]) => `${f1(t)}: ${f0(d)}`).join(', ')}`,
      );
    if (m.pageBusy)
      lines.push(
        '',
        `${m.mode}: the tab's long tasks over the flood (CPU profile): ${m.pageBusy.stretches} of 50 ms or more, ${f0(m.pageBusy.ms)} ms in all; self ms: ${m.pageBusy.top.map((t) => `${t.fn} ${f0(t.ms)}`).join(', ')}`,
      );
    const replay = m.writer.replay;
    if (replay)
      lines.push(
        '',
        `${m.mode}, the replay source over the flood: ${replay.events} events made (${f1(replay.eventBytes / 2 ** 20 / m.writer.seconds)} MB/s, ${m.writer.behind} behind schedule); ${f1(replay.watchBytes / 2 ** 20)} MB written to ${replay.watches} pods watches opened (${replay.open} open at the end, ${replay.expired} ended by 410 behind the ring), ${replay.lists} LISTs; most events a watch had yet to send: ${replay.maxLagEvents}`,
      );
    if (!m.convergence.equal)
      lines.push('', `${m.mode}: page against the LIST: ${m.convergence.examples.join('; ')}`);
  }
  return `${lines.join('\n')}\n`;
}
