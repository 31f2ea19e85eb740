import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock.js';
import { WorkQueue } from './queue.js';

const keyArb = fc.constantFrom('a', 'b', 'c', 'd', 'ns/e');

type Command =
  | { op: 'add'; key: string }
  | { op: 'addAfter'; key: string; ms: number }
  | { op: 'addRateLimited'; key: string }
  | { op: 'get' }
  | { op: 'done'; pick: number }
  | { op: 'forget'; key: string }
  | { op: 'advance'; ms: number };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: keyArb.map((key) => ({ op: 'add' as const, key })) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('addAfter' as const),
      key: keyArb,
      ms: fc.integer({ min: -5, max: 200 }),
    }),
  },
  { weight: 1, arbitrary: keyArb.map((key) => ({ op: 'addRateLimited' as const, key })) },
  { weight: 4, arbitrary: fc.constant({ op: 'get' as const }) },
  { weight: 3, arbitrary: fc.nat(10).map((pick) => ({ op: 'done' as const, pick })) },
  { weight: 1, arbitrary: keyArb.map((key) => ({ op: 'forget' as const, key })) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 150 }).map((ms) => ({ op: 'advance' as const, ms })) },
);

/**
 * A plain model of what must be processed: `needed` holds keys added (or whose delay passed) since
 * they were last handed out. The queue may hand out a key only when the model needs it.
 */
class Model {
  readonly needed = new Set<string>();
  readonly delayed = new Map<string, number>();
  readonly held = new Set<string>();

  constructor(private readonly clock: FakeClock) {}

  add(key: string): void {
    this.needed.add(key);
  }

  addAfter(key: string, ms: number): void {
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const at = this.clock.now() + ms;
    const current = this.delayed.get(key);
    if (current === undefined || at < current) this.delayed.set(key, at);
  }

  timePassed(): void {
    for (const [key, at] of this.delayed) {
      if (at <= this.clock.now()) {
        this.delayed.delete(key);
        this.add(key);
      }
    }
  }
}

async function handOut(queue: WorkQueue, model: Model): Promise<void> {
  const key = (await queue.get()) as string;
  // Dedup: a key is handed out only when something asked for it since it was last handed out.
  expect(model.needed.has(key), `"${key}" handed out without a new add`).toBe(true);
  // One worker per key.
  expect(model.held.has(key), `"${key}" handed to a second worker`).toBe(false);
  model.needed.delete(key);
  model.held.add(key);
}

describe('the work queue, under any sequence of operations', () => {
  it('never hands a key to two workers, hands a key out only after an add, and processes every added key', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { maxLength: 120 }), async (commands) => {
        const clock = new FakeClock();
        // A fixed rate limiter keeps the model simple; its arithmetic is tested on its own.
        const queue = new WorkQueue({
          clock,
          rateLimiter: { when: () => 7, forget: () => {}, retries: () => 0 },
        });
        const model = new Model(clock);
        for (const c of commands) {
          switch (c.op) {
            case 'add':
              queue.add(c.key);
              model.add(c.key);
              break;
            case 'addAfter':
              queue.addAfter(c.key, c.ms);
              model.addAfter(c.key, c.ms);
              break;
            case 'addRateLimited':
              queue.addRateLimited(c.key);
              model.addAfter(c.key, 7);
              break;
            case 'get':
              if (queue.length > 0) await handOut(queue, model);
              break;
            case 'done': {
              const held = [...model.held];
              if (held.length === 0) break;
              const key = held[c.pick % held.length] as string;
              model.held.delete(key);
              queue.done(key);
              break;
            }
            case 'forget':
              queue.forget(c.key);
              break;
            case 'advance':
              clock.advance(c.ms);
              model.timePassed();
              break;
          }
          expect(queue.inFlight).toBe(model.held.size);
        }
        // Let everything finish: every key that was asked for must come out.
        for (let round = 0; round < 20; round++) {
          for (const key of [...model.held]) {
            model.held.delete(key);
            queue.done(key);
          }
          clock.advance(1000);
          model.timePassed();
          while (queue.length > 0) await handOut(queue, model);
        }
        expect([...model.needed]).toEqual([]);
        expect(queue.delayedCount).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('lets concurrent async workers finish every key, each key by one worker at a time', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(keyArb, { maxLength: 6 }), { minLength: 1, maxLength: 15 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.nat(3), { minLength: 1, maxLength: 20 }),
        async (batches, workers, pauses) => {
          const queue = new WorkQueue({ clock: new FakeClock() });
          const active = new Set<string>();
          const lastAdd = new Map<string, number>();
          const lastStart = new Map<string, number>();
          let tick = 0;
          let step = 0;
          const pause = async () => {
            const n = pauses[step++ % pauses.length] as number;
            for (let i = 0; i < n; i++) await Promise.resolve();
          };
          const worker = async () => {
            for (;;) {
              const key = await queue.get();
              if (key === undefined) return;
              expect(active.has(key), `"${key}" processed by two workers at once`).toBe(false);
              active.add(key);
              lastStart.set(key, ++tick);
              await pause();
              active.delete(key);
              queue.done(key);
            }
          };
          const running = Array.from({ length: workers }, worker);
          for (const batch of batches) {
            for (const key of batch) {
              queue.add(key);
              lastAdd.set(key, ++tick);
            }
            await pause();
          }
          // Quiesce: wait until nothing is due or held, then stop.
          for (let i = 0; i < 1000 && (queue.length > 0 || queue.inFlight > 0); i++) await Promise.resolve();
          await queue.shutDownWithDrain();
          await Promise.all(running);
          // Every key's last add was followed by a processing that started after it.
          for (const [key, added] of lastAdd) {
            expect(lastStart.get(key) ?? 0, `"${key}" added and never processed after`).toBeGreaterThan(
              added,
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
