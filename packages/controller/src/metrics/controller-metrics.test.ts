import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock.js';
import { WorkQueue } from '../workqueue/queue.js';
import { seriesOf, seriesValue } from './__fixtures__/read.js';
import { ControllerMetrics } from './controller-metrics.js';

describe('the work queue metrics', () => {
  it("time each key's wait in the queue and its processing, under controller-runtime's names", async () => {
    const clock = new FakeClock();
    const registry = new Registry();
    const queue = new WorkQueue({
      name: 'routes',
      clock,
      metrics: ControllerMetrics.of(registry).workQueue('routes', clock),
    });
    queue.add('a');
    queue.add('a');
    queue.add('b');
    expect(await seriesValue(registry, 'workqueue_depth', { name: 'routes', controller: 'routes' })).toBe(2);
    clock.advance(250);
    const a = (await queue.get()) as string;
    clock.advance(1000);
    queue.done(a);
    expect(await seriesValue(registry, 'workqueue_queue_duration_seconds_sum', { name: 'routes' })).toBe(
      0.25,
    );
    expect(await seriesValue(registry, 'workqueue_queue_duration_seconds_count', { name: 'routes' })).toBe(1);
    expect(await seriesValue(registry, 'workqueue_work_duration_seconds_sum', { name: 'routes' })).toBe(1);
    expect(
      await seriesValue(registry, 'workqueue_queue_duration_seconds_bucket', { name: 'routes', le: '1' }),
    ).toBe(1);
    expect(
      await seriesValue(registry, 'workqueue_queue_duration_seconds_bucket', { name: 'routes', le: '0.1' }),
    ).toBe(0);
    expect(await seriesValue(registry, 'workqueue_depth', { name: 'routes' })).toBe(1);
    expect(await seriesValue(registry, 'workqueue_adds_total', { name: 'routes' })).toBe(2);
    queue.addRateLimited('c');
    expect(await seriesValue(registry, 'workqueue_retries_total', { name: 'routes' })).toBe(1);
    queue.shutDown();
    expect(await seriesValue(registry, 'workqueue_depth', { name: 'routes' })).toBe(0);
  });

  it('start every series of a new queue and controller at zero, before the first add', async () => {
    const registry = new Registry();
    const metrics = ControllerMetrics.of(registry);
    metrics.workQueue('idle');
    metrics.reconciler('idle');
    expect(await seriesOf(registry, 'controller_runtime_reconcile_total')).toEqual([
      '{controller=idle,result=error} 0',
      '{controller=idle,result=requeue_after} 0',
      '{controller=idle,result=requeue} 0',
      '{controller=idle,result=success} 0',
    ]);
    expect(await seriesOf(registry, 'workqueue_adds_total')).toEqual(['{controller=idle,name=idle} 0']);
    expect(await seriesOf(registry, 'workqueue_unfinished_work_seconds')).toEqual([
      '{controller=idle,name=idle} 0',
    ]);
    const text = await registry.metrics();
    for (const name of [
      'workqueue_depth',
      'workqueue_adds_total',
      'workqueue_queue_duration_seconds',
      'workqueue_work_duration_seconds',
      'workqueue_unfinished_work_seconds',
      'workqueue_longest_running_processor_seconds',
      'workqueue_retries_total',
      'controller_runtime_reconcile_total',
      'controller_runtime_reconcile_errors_total',
      'controller_runtime_reconcile_time_seconds',
      'controller_runtime_active_workers',
    ])
      expect(text).toContain(`# TYPE ${name} `);
  });

  it('share one set of families per registry and keep registries apart', async () => {
    const one = new Registry();
    const two = new Registry();
    expect(ControllerMetrics.of(one)).toBe(ControllerMetrics.of(one));
    ControllerMetrics.of(one).workQueue('q');
    ControllerMetrics.of(two).workQueue('q');
    expect(await seriesOf(two, 'workqueue_depth')).toEqual(['{controller=q,name=q} 0']);
  });
});
