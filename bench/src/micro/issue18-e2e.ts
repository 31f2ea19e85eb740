/**
 * Issue 18's end-to-end numbers in a few minutes, not the whole plan: one in-memory API server
 * (own process, TLS front) seeded with ConfigMaps, then bootstrap (floor, kates, client-node) at
 * each N and churn (one change at a time, then steady writes) at the N given, the peers taking
 * turns in each round. Nothing is written to RESULTS.md; the lines printed are the record.
 *
 * `node --expose-gc bench/dist/micro/issue18-e2e.js [--n=1000,10000,100000] [--churn=10000,100000]
 * [--rounds=3] [--other=/path/to/another/bench/dist]`. `--other` runs a second build of the bench
 * (and so of kates, resolved from there) as the peer `kates@other`, in the same rounds against the
 * same server: before and after a change, on one machine at one time.
 */

import type { ChurnPlan } from '../scenarios/churn.js';
import type { Collection, ScenarioContext } from '../scenarios/context.js';
import { startFakeServer } from '../servers/fake.js';
import { summarize } from '../stats.js';
import { argOf } from './args.js';

type Scenarios = {
  runBootstrap: typeof import('../scenarios/bootstrap.js').runBootstrap;
  runChurn: typeof import('../scenarios/churn.js').runChurn;
};
const list = (s: string | undefined, d: string) => (s ?? d).split(',').filter(Boolean).map(Number);
const log = (line: string) =>
  process.stderr.write(`[issue18 ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

async function scenariosFrom(dist: string): Promise<Scenarios> {
  const b = await import(`${dist}/scenarios/bootstrap.js`);
  const c = await import(`${dist}/scenarios/churn.js`);
  return { runBootstrap: b.runBootstrap, runChurn: c.runChurn };
}

async function main(): Promise<void> {
  const ns = list(argOf('n'), '1000,10000,100000');
  const churnNs = list(argOf('churn'), '10000,100000');
  const rounds = Number(argOf('rounds') ?? 3);
  const here = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
  const mine = await scenariosFrom(here);
  const other = argOf('other') ? await scenariosFrom(argOf('other')!) : undefined;
  const collections: Collection[] = [...new Set([...ns, ...churnNs])].map((n) => ({
    kind: 'ConfigMap',
    n,
    namespace: `bench-configmap-${n}`,
  }));
  const server = await startFakeServer(collections);
  log(`server ready, seeded in ${(server.setupMs / 1000).toFixed(1)} s`);
  const ctx: ScenarioContext = { server, log: () => {} };
  const boot = new Map<string, number[]>();
  const churn = new Map<string, { upd: number[]; lat: number[]; p50: number[]; p99: number[] }>();
  const plan: ChurnPlan = { trickle: 10, steady: { count: 1000, ratePerSec: 250 } };
  try {
    for (let round = 0; round < rounds; round++) {
      for (const c of collections.filter((x) => ns.includes(x.n))) {
        const turns: [string, Scenarios, 'floor' | 'kates' | 'client-node'][] = [
          ['floor', mine, 'floor'],
          ['kates', mine, 'kates'],
          ['client-node', mine, 'client-node'],
          ...(other ? [['kates@other', other, 'kates'] as [string, Scenarios, 'kates']] : []),
        ];
        for (let k = 0; k < turns.length; k++) {
          const [name, s, peer] = turns[(k + round) % turns.length]!;
          const [r] = await s.runBootstrap(ctx, c, [peer], 1);
          if (!r || r.error || !r.correct) throw new Error(`${name} ${c.n}: ${r?.error ?? 'wrong snapshot'}`);
          const key = `${c.n} ${name}`;
          boot.set(key, [...(boot.get(key) ?? []), r.ms.median]);
          log(`bootstrap ${key}: ${r.ms.median.toFixed(0)} ms`);
        }
      }
      for (const c of collections.filter((x) => churnNs.includes(x.n))) {
        const turns: [string, Scenarios, 'kates' | 'client-node'][] = [
          ['kates', mine, 'kates'],
          ['client-node', mine, 'client-node'],
          ...(other ? [['kates@other', other, 'kates'] as [string, Scenarios, 'kates']] : []),
        ];
        for (let k = 0; k < turns.length; k++) {
          const [name, s, peer] = turns[(k + round) % turns.length]!;
          const [r] = await s.runChurn(ctx, c, [peer], plan);
          if (!r || r.error) throw new Error(`${name} ${c.n}: ${r?.error}`);
          const key = `${c.n} ${name}`;
          const e = churn.get(key) ?? { upd: [], lat: [], p50: [], p99: [] };
          e.upd.push(r.updateAfterOneUs!.median);
          e.lat.push(r.trickleLatencyMs!.median);
          e.p50.push(r.steady!.p50Ms);
          e.p99.push(r.steady!.p99Ms);
          churn.set(key, e);
          log(
            `churn ${key}: update ${r.updateAfterOneUs!.median.toFixed(1)} us, latency ${r.trickleLatencyMs!.median.toFixed(2)} ms, steady p50/p99 ${r.steady!.p50Ms.toFixed(2)}/${r.steady!.p99Ms.toFixed(2)} ms`,
          );
        }
      }
    }
  } finally {
    await server.stop();
  }
  const fmt = (xs: number[], d = 1) => {
    const s = summarize(xs);
    return `${s.median.toFixed(d)} (${s.min.toFixed(d)}–${s.max.toFixed(d)})`;
  };
  const med = (xs: number[] | undefined) => (xs ? summarize(xs).median : Number.NaN);
  console.log(`rounds: ${rounds}; medians over rounds with (min–max)`);
  for (const n of ns) {
    const row = (p: string) => boot.get(`${n} ${p}`);
    console.log(
      `bootstrap N=${n}: ${['floor', 'kates', 'client-node', 'kates@other']
        .filter((p) => row(p))
        .map((p) => `${p} ${fmt(row(p)!, 0)} ms`)
        .join(
          '; ',
        )}; kates/floor ${(med(row('kates')) / med(row('floor'))).toFixed(2)}x, kates/client-node ${(
        med(row('kates')) / med(row('client-node'))
      ).toFixed(
        2,
      )}x${other ? `, kates@other/floor ${(med(row('kates@other')) / med(row('floor'))).toFixed(2)}x` : ''}`,
    );
  }
  for (const n of churnNs) {
    for (const p of ['kates', 'client-node', 'kates@other']) {
      const e = churn.get(`${n} ${p}`);
      if (!e) continue;
      console.log(
        `churn N=${n} ${p}: update ${fmt(e.upd)} us; one-change latency ${fmt(e.lat, 2)} ms; steady p50 ${fmt(e.p50, 2)} ms, p99 ${fmt(e.p99, 2)} ms`,
      );
    }
  }
}

await main();
