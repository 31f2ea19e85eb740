/**
 * Issue 18's latency bars alone: the churn scenario (one change at a time, then steady writes at a
 * rate) on one server, kates and client-node taking turns in each round, and with `--other` a
 * second build of the bench (before/after a change) as `kates@other` in the same rounds. Prints
 * one line per run and medians over rounds, with the load average; writes nothing else.
 *
 * `node --expose-gc bench/dist/micro/churn-latency.js [--server=fake|real] [--n=10000]
 * [--rate=500] [--count=2000] [--trickle=10] [--rounds=3] [--peers=kates,client-node]
 * [--burst=1000] [--other=/path/to/another/bench/dist] [--paired=true]`; `--burst` (in-memory
 * server) adds the burst phase: writes held back by a stalled watch, then released at once.
 * `--paired=true` runs the peers side by side, as the full run does (`ChurnPlan.paired`): each
 * round starts a process of every peer, all following the same writes (`--other` takes turns
 * only, and is refused with it).
 */
import { loadavg } from 'node:os';
import type { PeerName } from '../consumers/protocol.js';
import type { ChurnPlan, ChurnResult } from '../scenarios/churn.js';
import type { Collection, ScenarioContext } from '../scenarios/context.js';
import { type BenchServer, startFakeServer } from '../servers/fake.js';
import { startRealServer } from '../servers/real.js';
import { summarize } from '../stats.js';
import { argOf } from './args.js';

type RunChurn = typeof import('../scenarios/churn.js').runChurn;
const log = (line: string) =>
  process.stderr.write(`[churn-latency ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

async function churnFrom(dist: string): Promise<RunChurn> {
  return ((await import(`${dist}/scenarios/churn.js`)) as { runChurn: RunChurn }).runChurn;
}

async function main(): Promise<void> {
  const serverName = argOf('server') ?? 'fake';
  const n = Number(argOf('n') ?? 10_000);
  const rounds = Number(argOf('rounds') ?? 3);
  const plan: ChurnPlan = {
    trickle: Number(argOf('trickle') ?? 10),
    steady: { count: Number(argOf('count') ?? 2000), ratePerSec: Number(argOf('rate') ?? 500) },
    ...(argOf('burst') ? { burst: { count: Number(argOf('burst')) } } : {}),
  };
  const paired = argOf('paired') === 'true';
  if (paired && argOf('other'))
    throw new Error('--other runs the peers in turns: leave out --paired=true, or --other');
  const peers = (argOf('peers') ?? 'kates,client-node').split(',') as PeerName[];
  const here = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
  const mine = await churnFrom(here);
  const other = argOf('other') ? await churnFrom(argOf('other')!) : undefined;
  const c: Collection = { kind: 'ConfigMap', n, namespace: `bench-configmap-${n}` };
  const server: BenchServer =
    serverName === 'real' ? await startRealServer([c], log) : await startFakeServer([c]);
  log(`${server.name} server ready, seeded in ${(server.setupMs / 1000).toFixed(1)} s; load ${load()}`);
  const ctx: ScenarioContext = { server, log: () => {} };
  const turns: [string, RunChurn, PeerName][] = [
    ...peers.map((p) => [p, mine, p] as [string, RunChurn, PeerName]),
    ...(other ? [['kates@other', other, 'kates'] as [string, RunChurn, PeerName]] : []),
  ];
  const rows = new Map<string, ChurnResult[]>();
  try {
    if (paired) {
      for (const r of await mine(ctx, c, peers, { ...plan, rounds, paired: true })) {
        if (r.error || !r.steady || !r.trickleLatencyMs) log(`${r.peer}: FAILED ${r.error?.split('\n')[0]}`);
        else rows.set(r.peer, [r]);
      }
    }
    for (let round = 0; !paired && round < rounds; round++) {
      for (let k = 0; k < turns.length; k++) {
        const [name, run, peer] = turns[(k + round) % turns.length]!;
        const [r] = await run(ctx, c, [peer], plan);
        if (!r || r.error || !r.steady || !r.trickleLatencyMs || !r.updateAfterOneUs) {
          // A peer that fell behind (a loaded machine) loses its turn, not the run.
          log(`${server.name} ${n} ${name}: FAILED ${r?.error?.split('\n')[0]}; load ${load()}`);
          continue;
        }
        rows.set(name, [...(rows.get(name) ?? []), r]);
        const s = r.steady;
        log(
          `${server.name} ${n} ${name}: one change ${r.trickleLatencyMs.median.toFixed(2)} ms (client ${r.trickleClientUs?.median.toFixed(0)} us, update ${r.updateAfterOneUs.median.toFixed(0)} us, ${r.updatePageFaults?.median} page faults); ` +
            `steady ${s.offeredPerSec.toFixed(0)}/s p50 ${s.p50Ms.toFixed(2)} p99 ${s.p99Ms.toFixed(2)} ms (ramp p99 ${s.rampP99Ms?.toFixed(2)} ms), ` +
            `${s.updates} updates for ${s.events} events` +
            (r.burst
              ? `; burst of ${r.burst.events} in ${r.burst.drainMs.toFixed(0)} ms, ${r.burst.updates} updates`
              : '') +
            `; load ${load()}`,
        );
      }
    }
  } finally {
    await server.stop();
  }
  const fmt = (xs: number[], d = 2) => {
    const s = summarize(xs);
    return `${s.median.toFixed(d)} (${s.min.toFixed(d)}–${s.max.toFixed(d)})`;
  };
  console.log(
    `${server.name}, ${n} ConfigMaps, steady ${plan.steady.count} at ${plan.steady.ratePerSec}/s, ${rounds} rounds; medians over rounds (min–max); load at end ${load()}`,
  );
  for (const [name, rs] of rows) {
    console.log(
      `  ${name}: one change ${fmt(rs.map((r) => r.trickleLatencyMs!.median))} ms, in the client ${fmt(
        rs.map((r) => r.trickleClientUs?.median ?? Number.NaN),
        0,
      )} us; steady p50 ${fmt(
        rs.map((r) => r.steady!.p50Ms),
      )} ms, p99 ${fmt(rs.map((r) => r.steady!.p99Ms))} ms; updates ${fmt(
        rs.map((r) => r.steady!.updates),
        0,
      )}${
        rs[0]?.burst
          ? `; burst updates ${fmt(
              rs.map((r) => r.burst!.updates),
              0,
            )}`
          : ''
      }`,
    );
  }
}

await main();
