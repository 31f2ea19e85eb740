import type { SeededRandom } from './clock.js';
import { type ApiError, errors } from './status.js';
import type { ObjectStore } from './store.js';
import type { WatchStream } from './watch.js';

/** The Kubernetes verb of a request, as authorization and audit name it. */
export type KubeVerb =
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'deletecollection';

/** Which requests a failure applies to: all, or those of a verb and/or a path. */
export interface RequestMatch {
  readonly verb?: KubeVerb;
  /** A path prefix (`/api/v1/namespaces/default/configmaps`) or a pattern tested against the path. */
  readonly path?: string | RegExp;
}

/** `failNext`: answer the next matching requests with an error instead of serving them. */
export interface FailureRule extends RequestMatch {
  /** 429 (with Retry-After), 500, 503, or any other code (answered as a Status of that code). */
  readonly status: number;
  /** How many requests fail (default 1). */
  readonly times?: number;
  /** Retry-After header and `details.retryAfterSeconds` for 429 and 503 (default 1 for 429). */
  readonly retryAfterSeconds?: number;
}

/** `failRandomly`: fail a share of matching requests, drawn from the server's seeded random source. */
export interface RandomFailureRule extends RequestMatch {
  readonly status: number;
  /** Probability in [0, 1]. */
  readonly rate: number;
  readonly retryAfterSeconds?: number;
}

/** Which open watches a fault hits: all, or those of a resource (plural) and/or namespace. */
export interface WatchMatch {
  readonly resource?: string;
  readonly namespace?: string;
}

/** How many faults were injected since the last reset. */
export interface FaultCounters {
  failedRequests: number;
  droppedWatches: number;
  stalledWatches: number;
  delayedEvents: number;
  poisonLines: number;
  slowedListPages: number;
  compactions: number;
}

/**
 * Faults the fake API server injects on demand, for testing how clients and reflectors cope:
 * dropped and stalled watches, delayed events, compacted history (410), error answers and 429
 * with Retry-After, unparsable lines in a watch, slow list pages. Deterministic: nothing happens
 * unless asked, and random failures draw from the server's seeded source.
 */
export class Faults {
  private rules: (FailureRule & { left: number })[] = [];
  private randomRules: RandomFailureRule[] = [];
  private delay = 0;
  private stallUntil = 0;
  private listDelay = 0;
  readonly counters: FaultCounters = Faults.zero();

  /** @internal */
  constructor(
    private readonly watches: () => Iterable<WatchStream>,
    private readonly store: ObjectStore,
    private readonly random: SeededRandom,
  ) {}

  private static zero(): FaultCounters {
    return {
      failedRequests: 0,
      droppedWatches: 0,
      stalledWatches: 0,
      delayedEvents: 0,
      poisonLines: 0,
      slowedListPages: 0,
      compactions: 0,
    };
  }

  private matching(filter: WatchMatch | undefined): WatchStream[] {
    return [...this.watches()].filter(
      (w) =>
        (!filter?.resource || w.request.resource.resource === filter.resource) &&
        (!filter?.namespace || w.request.filter.namespace === filter.namespace),
    );
  }

  /** Cuts open watch connections (no clean end, as a network failure); returns how many. */
  dropWatches(filter?: WatchMatch): number {
    const hit = this.matching(filter);
    for (const w of hit) w.drop();
    this.counters.droppedWatches += hit.length;
    return hit.length;
  }

  /** Open watches (and, without a filter, those opened meanwhile) send nothing for `ms`, then catch up. */
  stallWatches(ms: number, filter?: WatchMatch): number {
    const until = Date.now() + ms;
    if (!filter) this.stallUntil = until;
    const hit = this.matching(filter);
    for (const w of hit) {
      w.stalledUntil = until;
      w.pump();
    }
    this.counters.stalledWatches += hit.length;
    return hit.length;
  }

  /** Every watch event from now on arrives `ms` later (order kept); 0 stops delaying. */
  delayEvents(ms: number): void {
    this.delay = Math.max(0, ms);
  }

  /** Drops the event history: watches and paged lists from any older resourceVersion get 410 Gone. */
  compact(): number {
    this.counters.compactions++;
    return this.store.compact();
  }

  /** Answers the next `times` matching requests with `status` instead of serving them. */
  failNext(rule: FailureRule): void {
    this.rules.push({ ...rule, left: rule.times ?? 1 });
  }

  /** Answers a seeded-random share of matching requests with `status` until reset. */
  failRandomly(rule: RandomFailureRule): void {
    this.randomRules.push(rule);
  }

  /** Writes a line that is not a watch event (not JSON by default) into open watches; returns how many. */
  injectPoisonLine(text = 'this line is not a watch event {', filter?: WatchMatch): number {
    const hit = this.matching(filter);
    for (const w of hit) w.enqueue(`${text.replace(/\n/g, ' ')}\n`);
    this.counters.poisonLines += hit.length;
    return hit.length;
  }

  /** Every LIST answer (each page) waits `ms` before its first byte; 0 stops. */
  slowListPages(ms: number): void {
    this.listDelay = Math.max(0, ms);
  }

  /** Clears every fault and counter (history already compacted stays compacted). */
  reset(): void {
    this.rules = [];
    this.randomRules = [];
    this.delay = 0;
    this.stallUntil = 0;
    this.listDelay = 0;
    for (const w of this.watches()) {
      w.stalledUntil = 0;
      w.pump();
    }
    Object.assign(this.counters, Faults.zero());
  }

  /** @internal The error to answer a request with, if a rule says so. */
  failureFor(verb: KubeVerb, path: string): ApiError | undefined {
    const matches = (m: RequestMatch) =>
      (!m.verb || m.verb === verb) &&
      (!m.path || (typeof m.path === 'string' ? path.startsWith(m.path) : m.path.test(path)));
    const rule = this.rules.find((r) => r.left > 0 && matches(r));
    if (rule) {
      rule.left--;
      this.rules = this.rules.filter((r) => r.left > 0);
      this.counters.failedRequests++;
      return errorFor(rule.status, rule.retryAfterSeconds);
    }
    for (const r of this.randomRules) {
      if (matches(r) && this.random.next() < r.rate) {
        this.counters.failedRequests++;
        return errorFor(r.status, r.retryAfterSeconds);
      }
    }
    return undefined;
  }

  /** @internal How long a list page waits. */
  listPageDelay(): number {
    if (this.listDelay > 0) this.counters.slowedListPages++;
    return this.listDelay;
  }

  /** @internal Applies server-wide settings to a new watch. */
  watchOpened(w: WatchStream): void {
    if (this.stallUntil > Date.now()) {
      w.stalledUntil = this.stallUntil;
      this.counters.stalledWatches++;
    }
  }

  /** @internal */
  eventDelay(): number {
    return this.delay;
  }

  /** @internal */
  countDelayed(): void {
    this.counters.delayedEvents++;
  }
}

function errorFor(status: number, retryAfterSeconds: number | undefined): ApiError {
  switch (status) {
    case 429:
      return errors.tooManyRequests(retryAfterSeconds ?? 1);
    case 500:
      return errors.internal('injected by the fake API server');
    case 503:
      return errors.unavailable(
        'the server is currently unable to handle the request (injected)',
        retryAfterSeconds,
      );
    case 410:
      return errors.expired('too old resource version (injected)');
    default:
      return errors.withCode(status, `injected failure ${status}`);
  }
}
