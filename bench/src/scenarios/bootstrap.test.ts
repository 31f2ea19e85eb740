import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessConsumer, inProcessServer } from '../__fixtures__/in-process.js';
import { FLOOR_PEERS } from '../consumers/floor.js';
import type { BenchServer } from '../servers/fake.js';
import { runBootstrap } from './bootstrap.js';
import type { Collection, ScenarioContext } from './context.js';

const configMaps: Collection = { kind: 'ConfigMap', namespace: 'boot-cm', n: 60 };
const pods: Collection = { kind: 'Pod', namespace: 'boot-pod', n: 15 };
// More than two pages of 2000 (and of 500): the floors' paging and prefetching are exercised.
const paged: Collection = { kind: 'ConfigMap', namespace: 'boot-paged', n: 4100 };
let server: BenchServer;
let ctx: ScenarioContext;

beforeAll(async () => {
  server = await inProcessServer([configMaps, pods, paged]);
  ctx = { server, log: () => {}, startConsumer: inProcessConsumer };
});
afterAll(() => server.stop());

describe('the bootstrap scenario', () => {
  it('brings every TypeScript peer to a snapshot equal to the server list', async () => {
    for (const c of [configMaps, pods]) {
      const results = await runBootstrap(
        ctx,
        c,
        ['floor-stream', 'kates', 'kates-dropmf', 'entity-adapter', 'client-node'],
        2,
      );
      for (const r of results) {
        expect(r.error, `${r.peer} ${c.kind}`).toBeUndefined();
        expect(r.correct, `${r.peer} ${c.kind}`).toBe(true);
        expect(r.ms.n).toBe(2);
        expect(r.ms.median).toBeGreaterThan(0);
      }
    }
  });

  it('gets the whole collection every floor way: pages of 500 and of 2000 (the next sent before the parse), one LIST with gzip and without, a streaming list', async () => {
    const results = await runBootstrap(ctx, paged, FLOOR_PEERS, 1);
    expect(results.map((r) => r.peer)).toEqual([
      'floor',
      'floor-unpaged',
      'floor-2000',
      'floor-stream',
      'floor-plain',
    ]);
    for (const r of results) {
      expect(r.error, r.peer).toBeUndefined();
      expect(r.correct, r.peer).toBe(true);
    }
  });

  it('runs a pilot counted nowhere, and a peer with fewer reps in the first rounds only', async () => {
    const started: string[] = [];
    const counting: ScenarioContext = {
      ...ctx,
      startConsumer: (config) => {
        started.push(config.peer);
        return inProcessConsumer(config);
      },
    };
    const [floor, kates] = await runBootstrap(counting, configMaps, ['floor-stream', 'kates'], 3, {
      repsOf: { kates: 1 },
      pilot: true,
    });
    // The pilot, then rounds of [floor, kates], [kates, floor], [floor, kates] with kates in the first only.
    expect(started).toEqual(['floor-stream', 'floor-stream', 'kates', 'floor-stream', 'floor-stream']);
    expect(floor?.ms.n).toBe(3);
    expect(kates?.ms.n).toBe(1);
    expect(kates?.correct).toBe(true);
  });

  it('reports a peer that cannot run instead of failing the scenario', async () => {
    const [go] = await runBootstrap(ctx, configMaps, ['go-kates'], 1);
    expect(go?.correct).toBe(false);
    expect(go?.error).toMatch(/not built/);
  });

  it('does not run a peer on a larger collection of a kind it failed on, and says where it failed', async () => {
    const failedAt = new Map([
      ['kates ConfigMap', { n: 10, error: 'no complete snapshot within 45 s; the first came late' }],
    ]);
    const [kates, floor] = await runBootstrap(ctx, configMaps, ['kates', 'floor'], 1, { failedAt });
    expect(kates?.error).toBe(
      'not run: failed at 10 ConfigMaps in this run (no complete snapshot within 45 s)',
    );
    expect(kates?.ms.n).toBe(0);
    expect(floor?.error).toBeUndefined();
    // A failure is remembered for the larger collections that follow.
    await runBootstrap(ctx, pods, ['kates'], 1, { failedAt, timeoutMs: 1 });
    expect(failedAt.get('kates Pod')?.n).toBe(15);
  });
});
