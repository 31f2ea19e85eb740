import type { BenchResults } from '../results.js';
import type { ChurnResult } from '../scenarios/churn.js';
import type { MedianInterval } from '../stats.js';

/** Issue 18's churn bar: steady p50 ≤ 1.5x client-node's, p99 ≤ client-node's. */
export const STEADY_P50_BAR = 1.5;
export const STEADY_P99_BAR = 1.0;
/** "A burst of 1001 events ≤ 3 updates" (the bar names that burst; others are shown, not judged). */
export const BURST_EVENTS = 1001;
export const BURST_UPDATES_BAR = 3;

/** One judged quantity: kates-ts' value, client-node's, and whether the bar holds. */
export interface ChurnBarCell {
  readonly kates: number;
  readonly peer?: number;
  /** undefined: not judged (a peer missing, or not the bar's burst). */
  readonly met?: boolean;
}

/** One churn case (server, N) against issue 18's bar, kates-ts against client-node in the same run. */
export interface ChurnBarRow {
  readonly server: 'fake' | 'real';
  readonly n: number;
  /** Latency of one change, median, ms: ≤ client-node's. */
  readonly oneChange?: ChurnBarCell;
  /**
   * Its client part, median µs: from the body chunk reaching the HTTP client to the signal. Shown,
   * not judged (the bar is the whole latency): it tells the client's share from the server's.
   */
  readonly oneChangeInClient?: ChurnBarCell;
  /**
   * kates-ts' latency of one change minus client-node's, per write both followed side by side,
   * µs, with its 95% interval. Shown, not judged: where the bar's medians differ by less than
   * they move between runs, it says whether the clients differ at all.
   */
  readonly oneChangePaired?: MedianInterval;
  /** Steady churn p50, ms: ≤ 1.5x client-node's. */
  readonly steadyP50?: ChurnBarCell;
  /** Steady churn p99, ms: ≤ client-node's. */
  readonly steadyP99?: ChurnBarCell;
  /** update() after one change, median µs: ≤ client-node's `list()`. */
  readonly update?: ChurnBarCell;
  /** Updates for a burst (kates-ts only): ≤ 3 for the bar's 1,001 events. */
  readonly burst?: ChurnBarCell & { readonly events: number };
}

const usable = (c: ChurnResult | undefined): c is ChurnResult => !!c && !c.error && c.correct;

function cell(kates: number | undefined, peer: number | undefined, bar: number): ChurnBarCell | undefined {
  if (kates === undefined || !Number.isFinite(kates)) return undefined;
  if (peer === undefined || !Number.isFinite(peer)) return { kates };
  return { kates, peer, met: kates <= peer * bar };
}

/** The bar's rows: every churn case of both servers where kates-ts finished, in the order they ran. */
export function churnBar(r: Pick<BenchResults, 'fake' | 'real'>): ChurnBarRow[] {
  const rows: ChurnBarRow[] = [];
  for (const server of ['fake', 'real'] as const) {
    const all = r[server].churn;
    for (const n of [...new Set(all.map((c) => c.n))]) {
      const k = all.find((c) => c.n === n && c.peer === 'kates');
      if (!usable(k)) continue;
      const found = all.find((c) => c.n === n && c.peer === 'client-node');
      const p = usable(found) ? found : undefined;
      const oneChange = cell(k.trickleLatencyMs?.median, p?.trickleLatencyMs?.median, 1);
      const inClient = k.trickleClientUs && {
        kates: k.trickleClientUs.median,
        ...(p?.trickleClientUs ? { peer: p.trickleClientUs.median } : {}),
      };
      const steadyP50 = cell(k.steady?.p50Ms, p?.steady?.p50Ms, STEADY_P50_BAR);
      const steadyP99 = cell(k.steady?.p99Ms, p?.steady?.p99Ms, STEADY_P99_BAR);
      const update = cell(k.updateAfterOneUs?.median, p?.updateAfterOneUs?.median, 1);
      const burst = k.burst && {
        kates: k.burst.updates,
        events: k.burst.events,
        ...(k.burst.events === BURST_EVENTS ? { met: k.burst.updates <= BURST_UPDATES_BAR } : {}),
      };
      rows.push({
        server,
        n,
        ...(oneChange ? { oneChange } : {}),
        ...(inClient ? { oneChangeInClient: inClient } : {}),
        ...(p?.trickleVersusKatesUs ? { oneChangePaired: p.trickleVersusKatesUs } : {}),
        ...(steadyP50 ? { steadyP50 } : {}),
        ...(steadyP99 ? { steadyP99 } : {}),
        ...(update ? { update } : {}),
        ...(burst ? { burst } : {}),
      });
    }
  }
  return rows;
}
