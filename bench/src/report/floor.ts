import { isFloor } from '../consumers/floor.js';
import type { PeerName } from '../consumers/protocol.js';
import type { BenchResults } from '../results.js';
import type { BootstrapResult } from '../scenarios/bootstrap.js';

/** The peers a library is compared with in the bootstrap bar: other libraries, not our baselines. */
export const EXTERNAL_PEERS: readonly PeerName[] = ['client-node', 'go-kates'];

const measured = (b: BootstrapResult | undefined): b is BootstrapResult =>
  !!b && !b.error && b.correct && b.ms.n > 0 && Number.isFinite(b.ms.median);

/**
 * The true floor of one bootstrap case: the fastest (by median) of the floor peers that measured
 * it, each a way of getting the objects into parsed memory and nothing else; undefined where none did.
 */
export function trueFloor(
  rows: readonly BootstrapResult[],
  kind: string,
  n: number,
): { readonly peer: PeerName; readonly median: number } | undefined {
  return fastestOf(rows, kind, n, isFloor);
}

/** The fastest external peer (client-node, Go kates) of one case, by median; undefined where none finished. */
export function fastestPeer(
  rows: readonly BootstrapResult[],
  kind: string,
  n: number,
): { readonly peer: PeerName; readonly median: number } | undefined {
  return fastestOf(rows, kind, n, (peer) => EXTERNAL_PEERS.includes(peer));
}

/** The fastest (by median) of the peers `include` accepts that measured the case. */
function fastestOf(
  rows: readonly BootstrapResult[],
  kind: string,
  n: number,
  include: (peer: PeerName) => boolean,
): { readonly peer: PeerName; readonly median: number } | undefined {
  let best: BootstrapResult | undefined;
  for (const b of rows) {
    if (b.kind !== kind || b.n !== n || !include(b.peer) || !measured(b)) continue;
    if (!best || b.ms.median < best.ms.median) best = b;
  }
  return best && { peer: best.peer, median: best.ms.median };
}

/** One row of the issue 18 bootstrap bar: kates-ts against the fastest peer and the true floor. */
export interface BootstrapBarRow {
  readonly server: 'fake' | 'real';
  readonly kind: string;
  readonly n: number;
  /** kates-ts' median, ms; NaN where it did not finish. */
  readonly kates: number;
  readonly peer?: { readonly peer: PeerName; readonly median: number };
  readonly floor?: { readonly peer: PeerName; readonly median: number };
  /** kates / fastest peer ≤ 1.0 (undefined: no peer finished). */
  readonly vsPeerMet?: boolean;
  /** kates / true floor ≤ 1.2 (undefined: no floor measured). */
  readonly vsFloorMet?: boolean;
}

/** Issue 18's bar: "bootstrap to the first complete snapshot ≤ 1.0x the fastest peer, ≤ 1.2x the true floor". */
export const PEER_BAR = 1.0;
export const FLOOR_BAR = 1.2;

/** The bar's rows: every bootstrap case of both servers, in the order they ran. */
export function bootstrapBar(r: Pick<BenchResults, 'fake' | 'real'>): BootstrapBarRow[] {
  const rows: BootstrapBarRow[] = [];
  for (const server of ['fake', 'real'] as const) {
    const all = r[server].bootstrap;
    const cases = [...new Set(all.map((b) => `${b.kind}|${b.n}`))];
    for (const c of cases) {
      const [kind, nText] = c.split('|') as [string, string];
      const n = Number(nText);
      const k = all.find((b) => b.kind === kind && b.n === n && b.peer === 'kates');
      if (!k) continue;
      const kates = measured(k) ? k.ms.median : Number.NaN;
      const peer = fastestPeer(all, kind, n);
      const floor = trueFloor(all, kind, n);
      rows.push({
        server,
        kind,
        n,
        kates,
        ...(peer ? { peer, vsPeerMet: kates <= PEER_BAR * peer.median } : {}),
        ...(floor ? { floor, vsFloorMet: kates <= FLOOR_BAR * floor.median } : {}),
      });
    }
  }
  return rows;
}
