import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessConsumer, inProcessServer } from '../__fixtures__/in-process.js';
import type { BenchServer } from '../servers/fake.js';
import type { Collection } from './context.js';
import { runSlowConsumer } from './slow-consumer.js';

const c: Collection = { kind: 'ConfigMap', namespace: 'slow', n: 40 };
let server: BenchServer;

beforeAll(async () => {
  server = await inProcessServer([c]);
});
afterAll(() => server.stop());

describe('the slow consumer scenario', () => {
  it('coalesces a burst into few reconciles and ends on the server state', async () => {
    const results = await runSlowConsumer(
      { server, log: () => {}, startConsumer: inProcessConsumer },
      c,
      ['kates', 'client-node'],
      150,
      100,
    );
    for (const r of results) {
      expect(r.error, r.peer).toBeUndefined();
      expect(r.correct, r.peer).toBe(true);
      expect(r.updates, r.peer).toBeGreaterThan(0);
      expect(r.updates!, r.peer).toBeLessThan(r.events);
      expect(r.peakRssBytes, r.peer).toBeGreaterThan(0);
    }
  });
});
