import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import type { Transport, TransportResponse } from '../transport/types.js';
import { configmaps, key, storeWithWatch } from './__fixtures__/watched.js';
import { Reflector } from './reflector.js';

// A full GC on demand, without starting the worker with --expose-gc.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const tick = () => new Promise((r) => setTimeout(r, 10));

let running: Reflector | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe("the reflector's memory over a long watch", () => {
  it('keeps nothing of a watch line once it is dispatched, while the watch stays open', async () => {
    const lines = 300;
    // Each line is handed over in an iterator result the test can see collected: a watch that
    // lasts (300 to 600 s against a real server) must not hold every line it has read.
    const results: WeakRef<object>[] = [];
    let served = 0;
    const transport: Transport = {
      server: 'https://memory.invalid',
      async request(req): Promise<TransportResponse> {
        const watch = Boolean(req.query?.watch);
        return {
          status: 200,
          headers: {},
          text: async () => JSON.stringify({ metadata: { resourceVersion: '1' }, items: [] }),
          lines: () => ({
            [Symbol.asyncIterator]: () => ({
              next: () => {
                if (watch && served < lines) {
                  served++;
                  const object = {
                    metadata: {
                      name: `c${served}`,
                      namespace: 'ns',
                      uid: `u${served}`,
                      resourceVersion: String(served + 1),
                    },
                    data: { pad: 'x'.repeat(1000) },
                  };
                  const result = { value: JSON.stringify({ type: 'ADDED', object }), done: false as const };
                  results.push(new WeakRef(result));
                  return Promise.resolve(result);
                }
                return new Promise<IteratorResult<string>>((resolve) =>
                  req.signal?.addEventListener('abort', () => resolve({ value: undefined, done: true }), {
                    once: true,
                  }),
                );
              },
              return: async () => ({ value: undefined, done: true as const }),
            }),
          }),
        };
      },
    };
    const store = storeWithWatch();
    running = new Reflector(
      transport,
      store.dispatch,
      { key, resource: configmaps, labelSelector: '', fieldSelector: '' },
      { initialList: 'list' },
    );
    void running.start();
    await expect.poll(() => store.getState().kates.reflectors[key]?.counters.events).toBe(lines);
    await tick();
    gc();
    await tick();
    const retained = results.filter((r) => r.deref() !== undefined).length;
    // The watch is still open; at most the line being read may be held.
    expect(retained).toBeLessThanOrEqual(2);
  });
});
