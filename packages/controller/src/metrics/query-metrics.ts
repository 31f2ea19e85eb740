import type { QueryStatus, ReflectorCounters } from '@kates/core';
import { Counter, Gauge, type Registry } from 'prom-client';
import { claimName, releaseName } from './labels.js';

/** What the query metrics read of an accumulator: its status per query, as `acc.status()` gives. */
export interface QueryStatusSource {
  status(): Record<string, QueryStatus>;
}

type Labels = 'accumulator' | 'query';

/** Every phase a query reports (the `phase` label takes only these). */
export const QUERY_PHASES: readonly QueryStatus['phase'][] = [
  'resolving',
  'listing',
  'synced',
  'relisting',
  'backing-off',
  'unserved',
  'forbidden',
  'error',
];

const COUNTERS: readonly [name: string, help: string, field: keyof ReflectorCounters][] = [
  ['kates_query_watch_events_total', 'Watch events received by the watch behind a query', 'events'],
  ['kates_query_watch_bookmarks_total', 'Bookmarks received by the watch behind a query', 'bookmarks'],
  ['kates_query_relists_total', 'Relists (after 410 Gone) of the watch behind a query', 'relists'],
  [
    'kates_query_watch_restarts_total',
    'Watch restarts (reconnects) of the watch behind a query',
    'reconnects',
  ],
  [
    'kates_query_poison_lines_total',
    'Watch lines that could not be parsed and were skipped, for the watch behind a query',
    'poisonLines',
  ],
];

/**
 * kates' own metrics, per query of each accumulator registered: phase, objects held, and the
 * counters of the watch behind it. Derived from the store when the registry is read; nothing is
 * counted twice and nothing is kept between scrapes.
 *
 * Queries that share one watch report the same counters (they are the watch's). A closed
 * accumulator's series disappear at the next scrape, and its name may be registered again.
 */
export class QueryMetrics {
  private static readonly byRegistry = new WeakMap<Registry, QueryMetrics>();
  private readonly sources = new Map<string, QueryStatusSource>();

  /** The query metrics of `registry`, registered there on first use. */
  static of(registry: Registry): QueryMetrics {
    let m = QueryMetrics.byRegistry.get(registry);
    if (!m) {
      m = new QueryMetrics(registry);
      QueryMetrics.byRegistry.set(registry, m);
    }
    return m;
  }

  private constructor(private readonly registry: Registry) {
    const registers = [registry];
    const labelNames = ['accumulator', 'query'] as const;
    const each = (fn: (labels: Record<Labels, string>, st: QueryStatus) => void) => this.each(fn);
    new Gauge({
      name: 'kates_query_synced',
      help: 'Whether a query has completed its initial list (1) or not (0)',
      labelNames,
      registers,
      collect() {
        this.reset();
        each((labels, st) => this.set(labels, st.synced ? 1 : 0));
      },
    });
    new Gauge({
      name: 'kates_query_phase',
      help: 'The phase of a query: 1 for the current phase, 0 for the others',
      labelNames: [...labelNames, 'phase'],
      registers,
      collect() {
        this.reset();
        each((labels, st) => {
          for (const phase of QUERY_PHASES) this.set({ ...labels, phase }, st.phase === phase ? 1 : 0);
        });
      },
    });
    new Gauge({
      name: 'kates_query_objects',
      help: 'Objects a query holds in its snapshot field',
      labelNames,
      registers,
      collect() {
        this.reset();
        each((labels, st) => this.set(labels, st.count));
      },
    });
    new Gauge({
      name: 'kates_query_failed_attempts',
      help: 'Failed list or watch attempts in a row of the watch behind a query (0 when healthy)',
      labelNames,
      registers,
      collect() {
        this.reset();
        each((labels, st) => this.set(labels, st.attempt));
      },
    });
    for (const [name, help, field] of COUNTERS) {
      new Counter({
        name,
        help,
        labelNames,
        registers,
        collect() {
          this.reset();
          each((labels, st) => this.inc(labels, st.counters[field]));
        },
      });
    }
  }

  /**
   * Reports the queries of an accumulator under `name` (its `accumulator` label) until it closes.
   *
   * @throws InvalidInputError when the name is malformed or already in use in this registry.
   */
  add(name: string, source: QueryStatusSource): void {
    claimName(this.registry, 'accumulator', name);
    this.sources.set(name, source);
  }

  /** Stops reporting an accumulator. */
  remove(name: string): void {
    if (this.sources.delete(name)) releaseName(this.registry, 'accumulator', name);
  }

  private each(fn: (labels: Record<Labels, string>, st: QueryStatus) => void): void {
    for (const [accumulator, source] of [...this.sources]) {
      const statuses = Object.entries(source.status());
      // A closed accumulator has removed its queries from the store.
      if (statuses.length === 0) {
        this.remove(accumulator);
        continue;
      }
      for (const [query, st] of statuses) fn({ accumulator, query }, st);
    }
  }
}
