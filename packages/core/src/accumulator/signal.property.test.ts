import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KubernetesObject } from '../model/object.js';
import { pod } from '../store/__fixtures__/store.js';
import * as actions from '../store/actions.js';
import { TestHost } from './__fixtures__/host.js';
import { type Accumulator, createAccumulator } from './accumulator.js';

type Command =
  | { t: 'list' }
  | { t: 'event'; n: number; del: boolean }
  | { t: 'bookmark' }
  | { t: 'advance'; ms: number }
  | { t: 'readIfSignalled' }
  | { t: 'readAnyway' };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ t: 'list' as const }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('event' as const), n: fc.nat(5), del: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ t: 'bookmark' as const }) },
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('advance' as const),
      ms: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 90, max: 250 })),
    }),
  },
  { weight: 3, arbitrary: fc.constant({ t: 'readIfSignalled' as const }) },
  { weight: 1, arbitrary: fc.constant({ t: 'readAnyway' as const }) },
);

const interval = 100;
const content = (items: readonly KubernetesObject[] | undefined) =>
  (items ?? []).map((o) => `${o.metadata?.name}@${o.metadata?.resourceVersion}`).join(',');

/** Microtasks only: what runs before the next macrotask (a timer, I/O) could. */
async function sameMacrotask(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/**
 * Runs `commands` against an accumulator with `interval`, a watcher that notes each rise of the
 * change signal and waits until it is read, and checks the rules of `check` after each command.
 */
async function simulate(
  commands: readonly Command[],
  interval: number | undefined,
  check: (s: {
    readonly rises: readonly number[];
    readonly listed: boolean;
    readonly level: boolean;
    readonly unseenSince: number | undefined;
    readonly spurious: number;
    readonly when: 'same macrotask' | 'after timers';
  }) => void,
): Promise<void> {
  vi.useFakeTimers();
  const host = new TestHost();
  const acc: Accumulator = createAccumulator(
    host,
    [{ name: 'pods', kind: 'pods' }],
    interval === undefined ? {} : { interval },
  );
  await host.settled();
  const key = host.keyOf(acc, 'pods');
  const membersNow = () => host.store.getState().kates.queries[acc.queryId('pods')!]!.members;

  // A watcher that notes when the level rises and waits until it is read before watching again.
  const rises: number[] = [];
  let level = false;
  let readMembers = membersNow();
  let release: (() => void) | undefined;
  let stopped = false;
  let spurious = 0;
  void (async () => {
    while (!stopped) {
      await acc.changed();
      if (stopped) return;
      // Rises only for changes not read yet, except the first (bootstrap) signal.
      if (rises.length > 0 && membersNow() === readMembers) spurious++;
      rises.push(Date.now());
      level = true;
      await new Promise<void>((r) => (release = r));
    }
  })();

  let listed = false;
  let rv = 100;
  let unseenSince: number | undefined;
  const snap: { pods?: readonly KubernetesObject[] } = {};
  let reads = 0;
  const read = () => {
    const before = content(snap.pods);
    const changed = acc.update(snap);
    // update() reports a change exactly when what the snapshot shows changed (first time aside).
    if (reads++ > 0) expect(changed).toBe(content(snap.pods) !== before);
    readMembers = membersNow();
    unseenSince = undefined;
    level = false;
    release?.();
    release = undefined;
  };
  const state = (when: 'same macrotask' | 'after timers') => ({
    rises,
    listed,
    level,
    unseenSince,
    spurious,
    when,
  });

  for (const c of commands) {
    if (c.t === 'list' && !listed) {
      listed = true;
      host.list(acc, 'pods', String(rv), []);
    } else if (c.t === 'event' && listed) {
      const obj = pod(`p${c.n}`, { rv: String(++rv) });
      host.events(acc, 'pods', [c.del ? 'DELETED' : 'ADDED', obj]);
      // Unseen from the first change after the last read, until read (or undone).
      if (membersNow() === readMembers) unseenSince = undefined;
      else unseenSince ??= Date.now();
    } else if (c.t === 'bookmark' && listed) {
      host.store.dispatch(
        actions.watchEvents({
          key,
          events: [{ type: 'BOOKMARK', object: { metadata: { resourceVersion: String(++rv) } } }],
        }),
      );
    } else if (c.t === 'advance') {
      await vi.advanceTimersByTimeAsync(c.ms);
    } else if (c.t === 'readIfSignalled' && level) {
      read();
    } else if (c.t === 'readAnyway') {
      read();
    }
    await sameMacrotask();
    check(state('same macrotask'));
    await vi.advanceTimersByTimeAsync(0);
    check(state('after timers'));
  }
  // Bootstrap is signalled at once.
  if (listed) expect(rises.length).toBeGreaterThan(0);
  stopped = true;
  acc.close();
  vi.useRealTimers();
}

describe('the change signal under random events, reads and time', () => {
  afterEach(() => vi.useRealTimers());

  it('waits for bootstrap, rises at most once per interval, only for unseen changes, and always within an interval', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 60, size: 'max' }), async (commands) => {
        await simulate(commands, interval, ({ rises, listed, level, unseenSince, spurious }) => {
          expect(spurious).toBe(0);
          if (!listed) expect(rises).toEqual([]);
          // Never more often than once per interval.
          for (let i = 1; i < rises.length; i++)
            expect(rises[i]! - rises[i - 1]!).toBeGreaterThanOrEqual(interval);
          // Every unseen change is signalled within one interval.
          if (unseenSince !== undefined && Date.now() - unseenSince >= interval) expect(level).toBe(true);
        });
      }),
      { numRuns: Number(process.env.KATES_MODEL_RUNS ?? 200) },
    );
  });

  it('without an interval (the default), wakes a waiting consumer in the same macrotask as the change, and only for unseen changes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 60, size: 'max' }), async (commands) => {
        await simulate(commands, undefined, ({ rises, listed, level, unseenSince, spurious }) => {
          expect(spurious).toBe(0);
          if (!listed) expect(rises).toEqual([]);
          // No clock between a change and the consumer: before any timer or I/O could run, a
          // consumer that had read everything is woken for what it has not read.
          if (unseenSince !== undefined) expect(level).toBe(true);
          // Bootstrap is signalled as soon as the list completes.
          if (listed) expect(rises.length).toBeGreaterThan(0);
        });
      }),
      { numRuns: Number(process.env.KATES_MODEL_RUNS ?? 200) },
    );
  });
});
