import type { Client } from '@kates/core';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { type Clock, type ClockTimer, systemClock } from '../clock.js';
import { EventRecorder, type EventRecorderOptions } from '../events/recorder.js';
import { ClientMetrics } from '../metrics/client-metrics.js';
import { ControllerMetrics } from '../metrics/controller-metrics.js';
import { EventMetrics } from '../metrics/event-metrics.js';
import { QueryMetrics } from '../metrics/query-metrics.js';
import { syncedCheck, type WatchedSource, watchHealthCheck } from '../probes/checks.js';
import { Probes } from '../probes/probes.js';
import { type ProbeServer, startProbeServer } from '../probes/server.js';
import { Controller, type ControllerOptions, type ControllerStopReport } from '../workqueue/controller.js';
import { alwaysLeading, electionDecided, type Leadership, type LeadershipSource } from './leadership.js';
import { onShutdownSignals, type SignalSource } from './signals.js';

/** Options of a {@link Manager}. */
export interface ManagerOptions {
  /** Names the manager in its log lines. */
  readonly name?: string;
  /** Where metrics go: a registry of the manager's own by default (never the global one). */
  readonly registry?: Registry;
  /** Also collect prom-client's process and Node.js metrics (default true). */
  readonly processMetrics?: boolean;
  /**
   * The metrics and probe server: `{ host, port }` (default 127.0.0.1:8080; in a pod use
   * `host: '0.0.0.0'`), or false for none.
   */
  readonly server?: { readonly host?: string; readonly port?: number } | false;
  /** Leader election: controllers start only while this process leads. None by default. */
  readonly leaderElection?: LeadershipSource;
  /** How long in-flight reconciles may take to finish at shutdown (default 30 s). */
  readonly shutdownTimeoutMs?: number;
  /** Signals that stop the manager (default SIGTERM and SIGINT), or false to handle none. */
  readonly signals?: readonly NodeJS.Signals[] | false;
  /** Where signals come from (`process` by default; a stand-in in tests). */
  readonly signalSource?: SignalSource;
  /** `/healthz` fails once a watch has been failing this long without a break (default 5 min). */
  readonly watchFailingForMs?: number;
  readonly clock?: Clock;
  /** Where the manager says what it does; `console.log` by default. */
  readonly log?: (line: string) => void;
}

/** What a shutdown did, and how long it took. */
export interface ShutdownReport {
  /** Why it stopped: a signal, `leader election lost`, or the caller's reason. */
  readonly reason: string;
  readonly durationMs: number;
  /** Every in-flight reconcile finished before the deadline. */
  readonly finished: boolean;
  /** `controller/key` of the reconciles still running at the deadline (their signal aborted). */
  readonly abandoned: readonly string[];
  /** The lease was given up (false without leader election, or when it was lost). */
  readonly released: boolean;
}

type Watched = WatchedSource & { status(): ReturnType<WatchedSource['status']>; close(): void };

/**
 * Runs controllers in production, as controller-runtime's manager: one metrics registry and one
 * small HTTP server (`/metrics`, `/healthz`, `/readyz`), leader election, and a graceful shutdown.
 *
 * Shutdown, on SIGTERM, SIGINT, leadership lost, or `stop()`, in this order:
 * 1. `/readyz` fails; controllers stop taking work and their queues drop what waits;
 * 2. in-flight reconciles finish, until `shutdownTimeoutMs` (then their signal aborts);
 * 3. Event recorders write what they hold, within what is left of the deadline;
 * 4. the lease is released (only now: never two leaders acting at once);
 * 5. accumulators close (their watches stop), `onStop` functions run (last added first), and the
 *    server closes. `start()` then resolves with the {@link ShutdownReport}; exiting is the caller's.
 */
export class Manager {
  readonly registry: Registry;
  readonly probes: Probes;
  private readonly name: string;
  private readonly clock: Clock;
  private readonly log: (line: string) => void;
  private readonly shutdownTimeoutMs: number;
  private readonly options: ManagerOptions;
  private readonly controllers: Controller[] = [];
  private readonly watched = new Map<string, Watched>();
  private readonly recorders: EventRecorder[] = [];
  private readonly stoppers: (() => unknown)[] = [];
  private readonly standby = new AbortController();
  private server: Promise<ProbeServer | undefined> | undefined;
  private running: Promise<ShutdownReport> | undefined;
  private stopping: Promise<ShutdownReport> | undefined;
  private leadership: Leadership | undefined;
  private lostAt: number | undefined;
  private stoppedAt: number | undefined;
  private resolveDone: (report: ShutdownReport) => void = () => {};
  private readonly done = new Promise<ShutdownReport>((resolve) => {
    this.resolveDone = resolve;
  });
  private removeSignals: () => void = () => {};

  constructor(options: ManagerOptions = {}) {
    this.options = options;
    this.name = options.name ?? 'manager';
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? ((line) => console.log(line));
    this.shutdownTimeoutMs = options.shutdownTimeoutMs ?? 30_000;
    this.registry = options.registry ?? new Registry();
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.probes = new Probes();
    const sources = () => this.watched.entries();
    this.probes
      .addHealthCheck('ping', () => {})
      .addHealthCheck(
        'watches',
        watchHealthCheck(sources, { failingForMs: options.watchFailingForMs, clock: this.clock }),
      )
      .addHealthCheck('leader-election', () => this.checkLeaseHandled())
      .addReadyCheck('shutdown', () => {
        if (this.stopping) throw new Error('shutting down');
      })
      .addReadyCheck('watches-synced', syncedCheck(sources))
      .addReadyCheck('leader-election', () => {
        if (!electionDecided(this.options.leaderElection, !!this.leadership))
          throw new Error('waiting for the first leader election decision');
      });
  }

  /** Whether this process leads now (always, once started, without leader election). */
  get leading(): boolean {
    return !!this.leadership && !this.leadership.signal.aborted && !this.stopping;
  }

  /**
   * A controller whose queue and reconciles report to this manager's registry; it starts when the
   * manager leads and stops at shutdown. It logs where the manager does, unless told otherwise.
   */
  controller(options: Omit<ControllerOptions, 'metrics' | 'queueMetrics' | 'clock'>): Controller {
    const metrics = ControllerMetrics.of(this.registry);
    const controller = new Controller({
      log: this.log,
      ...options,
      clock: this.clock,
      metrics: metrics.reconciler(options.name),
      queueMetrics: metrics.workQueue(options.name, this.clock),
    });
    this.controllers.push(controller);
    if (this.leading) controller.start();
    return controller;
  }

  /**
   * Takes charge of an accumulator: `/readyz` waits for its first lists, `/healthz` watches its
   * watches, its queries report metrics under `name`, and it closes at shutdown.
   */
  watch<A extends Watched>(name: string, acc: A): A {
    QueryMetrics.of(this.registry).add(name, acc);
    this.watched.set(name, acc);
    return acc;
  }

  /** The client with its writes counted and timed in this registry (see `ClientMetrics.observe`). */
  observe<C extends Client>(client: C): C {
    return ClientMetrics.of(this.registry).observe(client);
  }

  /** An Event recorder reporting to this registry, flushed at shutdown. */
  eventRecorder(options: Omit<EventRecorderOptions, 'metrics' | 'clock'>): EventRecorder {
    const recorder = new EventRecorder({
      log: this.log,
      ...options,
      clock: this.clock,
      metrics: EventMetrics.of(this.registry).forRecorder(),
    });
    this.recorders.push(recorder);
    return recorder;
  }

  /** Runs `fn` at the end of shutdown (last added, first run): close clients, servers. */
  onStop(fn: () => unknown): void {
    this.stoppers.push(fn);
  }

  /**
   * Starts the metrics and probe server (once); resolves to its URL, or undefined without one (or
   * once the manager has stopped).
   */
  async listen(): Promise<string | undefined> {
    if (this.stopping && !this.server) return undefined;
    this.server ??=
      this.options.server === false
        ? Promise.resolve(undefined)
        : startProbeServer({ registry: this.registry, probes: this.probes, ...this.options.server });
    return (await this.server)?.url;
  }

  /**
   * Serves metrics and probes, waits to lead (with leader election), starts the controllers, and
   * runs until shutdown. Resolves with what the shutdown did; calling it again returns the same.
   */
  start(): Promise<ShutdownReport> {
    this.running ??= this.run();
    return this.running;
  }

  /** Shuts down (see the class comment). Idempotent: every call gets the same report. */
  stop(reason = 'stop requested'): Promise<ShutdownReport> {
    // Marked stopping before any step runs: a step that ends leadership (a release) calls back
    // into stop(), and must find this shutdown rather than start another.
    this.stopping ??= (async () => {
      await undefined;
      return this.shutdown(reason);
    })();
    return this.stopping;
  }

  private async run(): Promise<ShutdownReport> {
    // Stopped before it started: serve nothing, listen to no signal.
    if (this.stopping) return this.done;
    const url = await this.listen();
    if (this.stopping) return this.done;
    if (this.options.signals !== false) {
      this.removeSignals = onShutdownSignals((signal) => void this.stop(`${signal} received`), {
        signals: this.options.signals,
        source: this.options.signalSource,
      });
    }
    if (url) this.log(`${this.name}: serving /metrics, /healthz and /readyz on ${url}`);
    const leadership = await this.acquire();
    if (leadership && !this.stopping) {
      this.leadership = leadership;
      const lost = () => {
        this.lostAt = this.clock.now();
        void this.stop('leader election lost');
      };
      if (leadership.signal.aborted) lost();
      else {
        leadership.signal.addEventListener('abort', lost, { once: true });
        if (this.options.leaderElection)
          this.log(`${this.name}: leading; starting ${this.controllers.length} controller(s)`);
        for (const c of this.controllers) c.start();
      }
    }
    return this.done;
  }

  /** Waits for leadership; undefined when the manager stopped first. */
  private async acquire(): Promise<Leadership | undefined> {
    const source = this.options.leaderElection;
    if (!source) return alwaysLeading;
    if (typeof source !== 'function') return source;
    this.log(`${this.name}: waiting to lead`);
    const stopped = new Promise<undefined>((resolve) =>
      this.standby.signal.addEventListener('abort', () => resolve(undefined), { once: true }),
    );
    try {
      return await Promise.race([source({ signal: this.standby.signal }), stopped]);
    } catch (e) {
      if (this.standby.signal.aborted) return undefined;
      void this.stop(`leader election failed: ${(e as Error).message}`);
      return undefined;
    }
  }

  private async shutdown(reason: string): Promise<ShutdownReport> {
    const t0 = this.clock.now();
    const deadline = t0 + this.shutdownTimeoutMs;
    const remaining = () => Math.max(0, deadline - this.clock.now());
    this.log(`${this.name}: ${reason}: stopping (in-flight work has ${this.shutdownTimeoutMs} ms to finish)`);
    if (!this.leadership) this.standby.abort();
    const reports: ControllerStopReport[] = await Promise.all(
      this.controllers.map((c) => c.stop(remaining())),
    );
    const abandoned = this.controllers.flatMap((c, i) =>
      (reports[i]?.abandoned ?? []).map((k) => `${c.name}/${k}`),
    );
    await this.within(Promise.all(this.recorders.map((r) => r.close())), remaining(), 'flushing Events');
    let released = false;
    const leadership = this.leadership;
    if (leadership?.release && !leadership.signal.aborted) {
      try {
        // Releasing gets a few seconds even past the deadline: a standby otherwise waits a whole lease.
        released =
          (await this.within(
            leadership.release().then(() => true),
            Math.max(remaining(), 5000),
            'releasing the lease',
          )) ?? false;
      } catch (e) {
        this.log(`${this.name}: releasing the lease failed: ${(e as Error).message}`);
      }
    }
    for (const [name, acc] of this.watched) {
      acc.close();
      QueryMetrics.of(this.registry).remove(name);
    }
    for (const fn of [...this.stoppers].reverse()) {
      try {
        await fn();
      } catch (e) {
        this.log(`${this.name}: an onStop function failed: ${(e as Error).message}`);
      }
    }
    this.removeSignals();
    await (await this.server)?.close();
    const report: ShutdownReport = {
      reason,
      durationMs: Math.round(this.clock.now() - t0),
      finished: reports.every((r) => r.finished),
      abandoned,
      released,
    };
    this.stoppedAt = this.clock.now();
    this.resolveDone(report);
    this.log(
      `${this.name}: stopped in ${report.durationMs} ms (${report.finished ? 'all work finished' : `${abandoned.length} reconcile(s) abandoned at the deadline`}` +
        `${this.options.leaderElection ? (released ? ', lease released' : ', lease not released') : ''})`,
    );
    return report;
  }

  /** Resolves with `work`'s value, or undefined after `ms` (logging what was cut short). */
  private async within<T>(work: Promise<T>, ms: number, what: string): Promise<T | undefined> {
    let timer: ClockTimer | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = this.clock.setTimeout(() => {
        this.log(`${this.name}: ${what} did not finish within the shutdown deadline`);
        resolve(undefined);
      }, ms);
    });
    try {
      return await Promise.race([work, late]);
    } finally {
      if (timer) this.clock.clearTimeout(timer);
    }
  }

  /** `/healthz`: leadership lost, and the manager has not stopped within its deadline. */
  private checkLeaseHandled(): void {
    if (this.lostAt === undefined || this.stoppedAt !== undefined) return;
    const since = this.clock.now() - this.lostAt;
    if (since > this.shutdownTimeoutMs + 5000) {
      throw new Error(
        `leadership was lost ${Math.round(since / 1000)} s ago and the manager has not stopped`,
      );
    }
  }
}
