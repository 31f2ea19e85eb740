import type { FanOutResult } from './run-fan-out.js';

const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '-');
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');

/** The fan-out results as a Markdown section. */
export function renderFanOut(
  server: string,
  pods: number,
  results: Readonly<Record<string, FanOutResult>>,
): string {
  const rows: string[] = [];
  for (const [view, r] of Object.entries(results)) {
    const f = r.fanOut;
    const n = f.upstreamAfterAll;
    const relayPer = r.relay.bootstrapMs.length || 1;
    rows.push(
      `### ${view === 'metadata' ? 'Metadata only (PartialObjectMetadata)' : 'Whole objects'}: ${r.objects} objects, ${f1(r.listMB)} MB of list JSON per session\n`,
      '| | relay (each session lists and watches the API server) | fan-out proxy |',
      '|---|---|---|',
      `| API server watches open, 1 session | ${f0(r.relay.upstream.openWatches / relayPer)} | ${f.upstreamAfterFirst.openWatches} |`,
      `| API server watches open, all sessions | ${r.relay.upstream.openWatches} (${relayPer} sessions) | ${n.openWatches} (${f.sessions} sessions; ${n.watches} started in all) |`,
      `| API server list pages, 1 session | ${f0(r.relay.upstream.reads / relayPer)} | ${f.upstreamAfterFirst.reads} |`,
      `| API server list pages, all sessions | ${r.relay.upstream.reads} (${relayPer} sessions) | ${n.reads} |`,
      `| API server discovery requests, all sessions | ${r.relay.upstream.discovery} | ${n.discovery} |`,
      `| first complete view of a session, ms | ${r.relay.bootstrapMs.map(f0).join(', ')} | first ${f0(f.firstBootstrapMs)}; then median ${f0(f.warmBootstrapMs.median)}, p90 ${f0(f.warmBootstrapMs.p90)}, last ${f0(f.warmBootstrapMs.last)} |`,
      `| proxy heap after GC, MB | ${f1(r.relay.upstream.heapMB)} | ${f1(f.baseHeapMB)} before, ${f1(f.baseHeapMB + f.cacheHeapMB)} with the cache, ${f1(n.heapMB)} with all sessions |`,
      `| proxy heap per further session, KB | | ${f0(f.heapPerSessionKB)} |`,
      `| proxy CPU per further session, ms | | ${f0(f.cpuPerSessionMs)} |`,
      `| one change to every session's watch, ms | | median ${f0(f.eventToAllMs.median)}, slowest ${f0(f.eventToAllMs.max)} |`,
      '',
    );
  }
  return [`## Fan-out proxy: ${pods} pods, ${server} API server\n`, ...rows].join('\n');
}
