import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { type Clock, systemClock } from '../clock.js';
import type { ReconcileMetrics, ReconcileOutcome } from '../workqueue/controller.js';
import type { WorkQueueMetrics } from '../workqueue/queue.js';
import { claimName, QUEUE_BUCKETS, RECONCILE_BUCKETS } from './labels.js';

type QueueLabels = 'name' | 'controller';

/**
 * One queue's state for its metrics: when each waiting key was added, when each held key was
 * taken, and its counts. Counts are plain numbers read at scrape time: a labelled prom-client
 * update hashes its labels, and a queue updates them several times per key.
 */
interface QueueTimes {
  readonly clock: Clock;
  readonly added: Map<string, number>;
  readonly started: Map<string, number>;
  depth: number;
  adds: number;
  retries: number;
}

const OUTCOMES: readonly ReconcileOutcome[] = ['success', 'error', 'requeue', 'requeue_after'];

/**
 * The work queue and reconcile metrics of controller-runtime, under its names and labels, in one
 * registry: `workqueue_*{name, controller}` and `controller_runtime_*{controller}`. Both labels of
 * the workqueue families carry the queue's name, as controller-runtime does.
 *
 * `workqueue_unfinished_work_seconds` and `workqueue_longest_running_processor_seconds` are
 * computed when the registry is read, rather than by a ticker as client-go does.
 */
export class ControllerMetrics {
  private static readonly byRegistry = new WeakMap<Registry, ControllerMetrics>();
  private readonly queues = new Map<string, QueueTimes>();
  private readonly latency: Histogram<QueueLabels>;
  private readonly workDuration: Histogram<QueueLabels>;
  private readonly reconcileTotal: Counter<'controller' | 'result'>;
  private readonly reconcileErrors: Counter<'controller'>;
  private readonly terminalErrors: Counter<'controller'>;
  private readonly reconcileTime: Histogram<'controller'>;
  private readonly activeWorkers: Gauge<'controller'>;
  private readonly maxConcurrent: Gauge<'controller'>;

  /** The controller metrics of `registry`, registered there on first use. */
  static of(registry: Registry): ControllerMetrics {
    let m = ControllerMetrics.byRegistry.get(registry);
    if (!m) {
      m = new ControllerMetrics(registry);
      ControllerMetrics.byRegistry.set(registry, m);
    }
    return m;
  }

  private constructor(private readonly registry: Registry) {
    const registers = [registry];
    const labelNames = ['name', 'controller'] as const;
    const queues = this.queues;
    new Gauge({
      name: 'workqueue_depth',
      help: 'Current depth of workqueue',
      labelNames,
      registers,
      collect() {
        for (const [name, q] of queues) this.set({ name, controller: name }, q.depth);
      },
    });
    new Counter({
      name: 'workqueue_adds_total',
      help: 'Total number of adds handled by workqueue',
      labelNames,
      registers,
      collect() {
        this.reset();
        for (const [name, q] of queues) this.inc({ name, controller: name }, q.adds);
      },
    });
    this.latency = new Histogram({
      name: 'workqueue_queue_duration_seconds',
      help: 'How long in seconds an item stays in workqueue before being requested',
      labelNames,
      buckets: QUEUE_BUCKETS,
      registers,
    });
    this.workDuration = new Histogram({
      name: 'workqueue_work_duration_seconds',
      help: 'How long in seconds processing an item from workqueue takes',
      labelNames,
      buckets: QUEUE_BUCKETS,
      registers,
    });
    new Gauge({
      name: 'workqueue_unfinished_work_seconds',
      help:
        'How many seconds of work has been done that is in progress and has not been observed by ' +
        'work_duration. Large values indicate stuck workers.',
      labelNames,
      registers,
      collect() {
        this.reset();
        for (const [name, q] of queues) {
          const now = q.clock.now();
          let sum = 0;
          for (const t of q.started.values()) sum += now - t;
          this.set({ name, controller: name }, sum / 1000);
        }
      },
    });
    new Gauge({
      name: 'workqueue_longest_running_processor_seconds',
      help: 'How many seconds has the longest running processor for workqueue been running',
      labelNames,
      registers,
      collect() {
        this.reset();
        for (const [name, q] of queues) {
          const now = q.clock.now();
          let longest = 0;
          for (const t of q.started.values()) longest = Math.max(longest, now - t);
          this.set({ name, controller: name }, longest / 1000);
        }
      },
    });
    new Counter({
      name: 'workqueue_retries_total',
      help: 'Total number of retries handled by workqueue',
      labelNames,
      registers,
      collect() {
        this.reset();
        for (const [name, q] of queues) this.inc({ name, controller: name }, q.retries);
      },
    });
    this.reconcileTotal = new Counter({
      name: 'controller_runtime_reconcile_total',
      help: 'Total number of reconciliations per controller',
      labelNames: ['controller', 'result'],
      registers,
    });
    this.reconcileErrors = new Counter({
      name: 'controller_runtime_reconcile_errors_total',
      help: 'Total number of reconciliation errors per controller',
      labelNames: ['controller'],
      registers,
    });
    this.terminalErrors = new Counter({
      name: 'controller_runtime_terminal_reconcile_errors_total',
      help: 'Total number of terminal reconciliation errors per controller',
      labelNames: ['controller'],
      registers,
    });
    this.reconcileTime = new Histogram({
      name: 'controller_runtime_reconcile_time_seconds',
      help: 'Length of time per reconciliation per controller',
      labelNames: ['controller'],
      buckets: RECONCILE_BUCKETS,
      registers,
    });
    this.activeWorkers = new Gauge({
      name: 'controller_runtime_active_workers',
      help: 'Number of currently used workers per controller',
      labelNames: ['controller'],
      registers,
    });
    this.maxConcurrent = new Gauge({
      name: 'controller_runtime_max_concurrent_reconciles',
      help: 'Maximum number of concurrent reconciles per controller',
      labelNames: ['controller'],
      registers,
    });
  }

  /**
   * The metrics sink of one work queue. Its series start at zero, so that a dashboard shows the
   * queue before its first add.
   *
   * @throws InvalidInputError when the name is malformed or already taken in this registry.
   */
  workQueue(name: string, clock: Clock = systemClock): WorkQueueMetrics {
    claimName(this.registry, 'work queue', name);
    const labels = { name, controller: name };
    const times: QueueTimes = { clock, added: new Map(), started: new Map(), depth: 0, adds: 0, retries: 0 };
    this.queues.set(name, times);
    this.latency.zero(labels);
    this.workDuration.zero(labels);
    return {
      add: (key) => {
        times.adds++;
        times.depth++;
        if (!times.added.has(key)) times.added.set(key, clock.now());
      },
      get: (key) => {
        times.depth--;
        const added = times.added.get(key);
        if (added !== undefined) {
          this.latency.observe(labels, (clock.now() - added) / 1000);
          times.added.delete(key);
        }
        times.started.set(key, clock.now());
      },
      done: (key) => {
        const started = times.started.get(key);
        if (started !== undefined) {
          this.workDuration.observe(labels, (clock.now() - started) / 1000);
          times.started.delete(key);
        }
      },
      retry: () => {
        times.retries++;
      },
      discard: (key) => {
        times.depth--;
        times.added.delete(key);
      },
    };
  }

  /**
   * The reconcile metrics of one controller, every `result` series started at zero.
   *
   * @throws InvalidInputError when the name is malformed or already taken in this registry.
   */
  reconciler(controller: string): ReconcileMetrics {
    claimName(this.registry, 'controller', controller);
    const labels = { controller };
    for (const result of OUTCOMES) this.reconcileTotal.inc({ controller, result }, 0);
    this.reconcileErrors.inc(labels, 0);
    this.terminalErrors.inc(labels, 0);
    this.reconcileTime.zero(labels);
    this.activeWorkers.set(labels, 0);
    return {
      workers: (count) => this.maxConcurrent.set(labels, count),
      started: () => this.activeWorkers.inc(labels),
      finished: (outcome, seconds, terminal) => {
        this.activeWorkers.dec(labels);
        this.reconcileTotal.inc({ controller, result: outcome });
        this.reconcileTime.observe(labels, seconds);
        if (outcome === 'error') this.reconcileErrors.inc(labels);
        if (terminal) this.terminalErrors.inc(labels);
      },
    };
  }
}
