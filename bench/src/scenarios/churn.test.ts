import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessConsumer, inProcessServer } from '../__fixtures__/in-process.js';
import type { BenchServer } from '../servers/fake.js';
import { runChurn } from './churn.js';
import type { Collection } from './context.js';

const c: Collection = { kind: 'ConfigMap', namespace: 'churn', n: 50 };
let server: BenchServer;

beforeAll(async () => {
  server = await inProcessServer([c]);
});
afterAll(() => server.stop());

describe('the churn scenario', () => {
  it('follows trickle, steady and burst writes to a final snapshot equal to the server', async () => {
    const results = await runChurn(
      { server, log: () => {}, startConsumer: inProcessConsumer },
      c,
      ['kates', 'entity-adapter', 'client-node'],
      { trickle: 3, steady: { count: 30, ratePerSec: 200 }, burst: { count: 40 } },
    );
    for (const r of results) {
      expect(r.error, r.peer).toBeUndefined();
      expect(r.correct, r.peer).toBe(true);
      expect(r.updateAfterOneUs?.n, r.peer).toBeGreaterThanOrEqual(3);
      expect(r.steady?.events, r.peer).toBeGreaterThan(0);
      expect(r.steady?.p99Ms, r.peer).toBeGreaterThanOrEqual(r.steady?.p50Ms ?? Number.NaN);
      expect(r.burst?.events, r.peer).toBe(41);
      expect(r.burst?.ingestedPerSec, r.peer).toBeGreaterThan(0);
    }
  });
});
