import type { Client, WriteVerb } from '@kates/core';
import { Counter, Histogram, type Registry } from 'prom-client';
import { failureReason, REQUEST_BUCKETS } from './labels.js';

/** The client methods that write, each one `verb` label value. */
export const WRITE_VERBS: readonly WriteVerb[] = [
  'create',
  'update',
  'updateStatus',
  'patch',
  'apply',
  'delete',
  'upsert',
  'modify',
];
const WRITES = new Set<string>(WRITE_VERBS);

/**
 * Per write verb of a kates client: calls, failures by reason, and latency
 * (`kates_client_writes_total{verb}`, `kates_client_write_errors_total{verb, reason}`,
 * `kates_client_write_duration_seconds{verb}`). A call is timed from the method call to its
 * settlement, kind resolution included; `upsert` and `modify` count once with their retries inside.
 */
export class ClientMetrics {
  private static readonly byRegistry = new WeakMap<Registry, ClientMetrics>();
  readonly writes: Counter<'verb'>;
  readonly errors: Counter<'verb' | 'reason'>;
  readonly duration: Histogram<'verb'>;

  /** The client metrics of `registry`, registered there on first use. */
  static of(registry: Registry): ClientMetrics {
    let m = ClientMetrics.byRegistry.get(registry);
    if (!m) {
      m = new ClientMetrics(registry);
      ClientMetrics.byRegistry.set(registry, m);
    }
    return m;
  }

  private constructor(registry: Registry) {
    const registers = [registry];
    this.writes = new Counter({
      name: 'kates_client_writes_total',
      help: 'Write calls through a kates client, by verb',
      labelNames: ['verb'],
      registers,
    });
    this.errors = new Counter({
      name: 'kates_client_write_errors_total',
      help: 'Write calls through a kates client that failed, by verb and Kubernetes reason',
      labelNames: ['verb', 'reason'],
      registers,
    });
    this.duration = new Histogram({
      name: 'kates_client_write_duration_seconds',
      help: 'Latency of write calls through a kates client, by verb',
      labelNames: ['verb'],
      buckets: REQUEST_BUCKETS,
      registers,
    });
    for (const verb of WRITE_VERBS) {
      this.writes.inc({ verb }, 0);
      this.duration.zero({ verb });
    }
  }

  /**
   * The same client, its writes observed: a `Proxy` that times each write method and passes every
   * other property through. `instanceof Client` still holds; the original client is not changed,
   * so writes made through it directly are not counted.
   */
  observe<C extends Client>(client: C): C {
    const wrapped = new Map<string, unknown>();
    const metrics = this;
    return new Proxy(client, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof prop !== 'string' || !WRITES.has(prop) || typeof value !== 'function') {
          return typeof value === 'function' ? value.bind(target) : value;
        }
        let fn = wrapped.get(prop);
        if (!fn) {
          fn = metrics.timed(prop, value.bind(target) as (...args: unknown[]) => Promise<unknown>);
          wrapped.set(prop, fn);
        }
        return fn;
      },
    });
  }

  private timed(verb: string, call: (...args: unknown[]) => Promise<unknown>) {
    return async (...args: unknown[]): Promise<unknown> => {
      const t0 = performance.now();
      this.writes.inc({ verb });
      try {
        return await call(...args);
      } catch (e) {
        this.errors.inc({ verb, reason: failureReason(e) });
        throw e;
      } finally {
        this.duration.observe({ verb }, (performance.now() - t0) / 1000);
      }
    };
  }
}
