import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock.js';
import { seriesValue } from '../metrics/__fixtures__/read.js';
import { ControllerMetrics } from '../metrics/controller-metrics.js';
import { Controller, type Reconciler, TerminalError } from './controller.js';

/** Lets promise callbacks run. */
async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

function controllerWith(reconcile: Reconciler, options: { concurrency?: number; clock?: FakeClock } = {}) {
  const clock = options.clock ?? new FakeClock();
  const registry = new Registry();
  const metrics = ControllerMetrics.of(registry);
  const log: string[] = [];
  const controller = new Controller({
    name: 'widgets',
    reconcile,
    clock,
    maxConcurrentReconciles: options.concurrency ?? 1,
    metrics: metrics.reconciler('widgets'),
    queueMetrics: metrics.workQueue('widgets', clock),
    log: (line) => log.push(line),
  });
  return { controller, clock, registry, log };
}

describe('the controller', () => {
  it('reconciles each key with its namespace and name, and forgets it on success', async () => {
    const seen: string[] = [];
    const { controller, registry } = controllerWith(({ key, namespace, name, retries }) => {
      seen.push(`${key}|${namespace}|${name}|${retries}`);
    });
    controller.start();
    controller.add('shop/web');
    controller.add('node-1');
    await settle();
    expect(seen).toEqual(['shop/web|shop|web|0', 'node-1|undefined|node-1|0']);
    expect(
      await seriesValue(registry, 'controller_runtime_reconcile_total', {
        controller: 'widgets',
        result: 'success',
      }),
    ).toBe(2);
    expect(await seriesValue(registry, 'workqueue_adds_total', { name: 'widgets' })).toBe(2);
    expect(await seriesValue(registry, 'workqueue_depth', { name: 'widgets' })).toBe(0);
    expect(await seriesValue(registry, 'controller_runtime_active_workers', { controller: 'widgets' })).toBe(
      0,
    );
    expect(
      await seriesValue(registry, 'controller_runtime_max_concurrent_reconciles', { controller: 'widgets' }),
    ).toBe(1);
  });

  it('retries a failing key with a growing backoff, counts the errors, and resets once it succeeds', async () => {
    let failures = 3;
    const attempts: number[] = [];
    const { controller, clock, registry, log } = controllerWith(({ retries }) => {
      attempts.push(retries);
      if (failures-- > 0) throw new Error('the API server said no');
    });
    controller.start();
    controller.add('ns/flaky');
    await settle();
    expect(attempts).toEqual([0]);
    for (const wait of [5, 10, 20]) {
      clock.advance(wait - 1);
      await settle();
      const before = attempts.length;
      clock.advance(1);
      await settle();
      expect(attempts.length).toBe(before + 1);
    }
    expect(attempts).toEqual([0, 1, 2, 3]);
    expect(controller.queue.numRequeues('ns/flaky')).toBe(0);
    expect(
      await seriesValue(registry, 'controller_runtime_reconcile_errors_total', { controller: 'widgets' }),
    ).toBe(3);
    expect(
      await seriesValue(registry, 'controller_runtime_reconcile_total', {
        controller: 'widgets',
        result: 'error',
      }),
    ).toBe(3);
    expect(await seriesValue(registry, 'workqueue_retries_total', { name: 'widgets' })).toBe(3);
    expect(log[0]).toMatch(
      /controller "widgets": reconcile "ns\/flaky" failed \(retry 1\): the API server said no/,
    );
  });

  it('requeues after the asked delay with its backoff reset, or after its backoff for requeue: true', async () => {
    const calls: string[] = [];
    let n = 0;
    const { controller, clock, registry } = controllerWith(({ key }) => {
      calls.push(key);
      n++;
      return n === 1 ? { requeueAfter: 1000 } : n === 2 ? { requeue: true } : undefined;
    });
    controller.start();
    controller.add('a');
    await settle();
    clock.advance(999);
    await settle();
    expect(calls).toEqual(['a']);
    clock.advance(1);
    await settle();
    expect(calls).toEqual(['a', 'a']);
    clock.advance(5);
    await settle();
    expect(calls).toEqual(['a', 'a', 'a']);
    expect(
      await seriesValue(registry, 'controller_runtime_reconcile_total', {
        controller: 'widgets',
        result: 'requeue_after',
      }),
    ).toBe(1);
    expect(
      await seriesValue(registry, 'controller_runtime_reconcile_total', {
        controller: 'widgets',
        result: 'requeue',
      }),
    ).toBe(1);
    expect(
      await seriesValue(registry, 'controller_runtime_reconcile_total', {
        controller: 'widgets',
        result: 'success',
      }),
    ).toBe(1);
  });

  it('does not retry a terminal error, and counts it apart', async () => {
    let calls = 0;
    const { controller, clock, registry, log } = controllerWith(() => {
      calls++;
      throw new TerminalError('spec.replicas must be positive');
    });
    controller.start();
    controller.add('ns/bad');
    await settle();
    clock.advance(10_000);
    await settle();
    expect(calls).toBe(1);
    expect(
      await seriesValue(registry, 'controller_runtime_terminal_reconcile_errors_total', {
        controller: 'widgets',
      }),
    ).toBe(1);
    expect(log[0]).toMatch(/failed for good, not retried: spec.replicas must be positive/);
  });

  it('runs at most maxConcurrentReconciles at once, and never one key twice at once', async () => {
    let running = 0;
    let most = 0;
    const active = new Set<string>();
    const releases: (() => void)[] = [];
    const { controller, registry } = controllerWith(
      async ({ key }) => {
        expect(active.has(key)).toBe(false);
        active.add(key);
        running++;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
        active.delete(key);
      },
      { concurrency: 3 },
    );
    controller.start();
    for (const k of ['a', 'b', 'c', 'd', 'e', 'a', 'a']) controller.add(k);
    await settle();
    expect(running).toBe(3);
    expect(await seriesValue(registry, 'controller_runtime_active_workers', { controller: 'widgets' })).toBe(
      3,
    );
    expect(
      await seriesValue(registry, 'workqueue_longest_running_processor_seconds', { name: 'widgets' }),
    ).toBe(0);
    controller.add('a'); // held: queued again once done
    while (releases.length > 0) {
      releases.shift()?.();
      await settle();
    }
    expect(most).toBe(3);
    expect(running).toBe(0);
  });

  it('stops taking work at stop, lets in-flight reconciles finish, and reports none abandoned', async () => {
    let release = () => {};
    const done: string[] = [];
    const { controller } = controllerWith(async ({ key }) => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      done.push(key);
    });
    controller.start();
    controller.add('a');
    controller.add('b');
    await settle();
    const stopped = controller.stop(30_000);
    controller.add('c');
    release();
    const report = await stopped;
    expect(report).toMatchObject({ finished: true, abandoned: [] });
    expect(done).toEqual(['a']);
  });

  it('aborts the signal of reconciles still running at the shutdown deadline and names them', async () => {
    const clock = new FakeClock();
    let aborted: unknown;
    const { controller, registry } = controllerWith(
      ({ signal }) =>
        new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => {
            aborted = signal.reason;
            resolve();
          });
        }),
      { clock },
    );
    controller.start();
    controller.add('ns/stuck');
    await settle();
    clock.advance(2500);
    expect(await seriesValue(registry, 'workqueue_unfinished_work_seconds', { name: 'widgets' })).toBe(2.5);
    expect(
      await seriesValue(registry, 'workqueue_longest_running_processor_seconds', { name: 'widgets' }),
    ).toBe(2.5);
    const stopping = controller.stop(1000);
    await settle();
    clock.advance(1000);
    const report = await stopping;
    expect(report).toEqual({ finished: false, abandoned: ['ns/stuck'], durationMs: 1000 });
    expect(String(aborted)).toMatch(/shutdown deadline of 1000 ms passed/);
  });

  it('refuses a malformed name, a missing reconciler and a concurrency below 1', () => {
    const reconcile = () => {};
    expect(() => new Controller({ name: 'bad name!', reconcile })).toThrow(
      /controller name "bad name!" is not valid/,
    );
    expect(() => new Controller({ name: 'ok', reconcile: undefined as never })).toThrow(
      /reconcile must be a function/,
    );
    expect(() => new Controller({ name: 'ok', reconcile, maxConcurrentReconciles: 0 })).toThrow(
      /maxConcurrentReconciles must be a whole number of at least 1/,
    );
  });

  it('refuses a second controller of the same name in one registry', () => {
    const metrics = ControllerMetrics.of(new Registry());
    metrics.reconciler('twice');
    expect(() => metrics.reconciler('twice')).toThrow(/a controller named "twice" already reports metrics/);
  });
});
