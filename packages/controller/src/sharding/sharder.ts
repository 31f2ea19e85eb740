import type { Client, KubernetesObject, Lease, Query } from '@kates/core';
import { isConflict, isNotFound } from '@kates/core';
import { type Clock, sleep, systemClock } from '../clock.js';
import { LeaderElector } from '../leaderelection/elector.js';
import { type Fence, fencedClient, fenceHolds } from '../leaderelection/fence.js';
import type { ElectionTiming } from '../leaderelection/options.js';
import { type RingLabels, ringLabels } from './labels.js';
import { MemberTracker } from './membership.js';
import { planShards, type ShardKey, shardKeyOf } from './plan.js';
import { DEFAULT_VIRTUAL_NODES, HashRing } from './ring.js';

/** Options of {@link Sharder}. */
export interface SharderOptions extends Partial<ElectionTiming> {
  readonly client: Client;
  readonly ring: string;
  /** This process's identity; the sharder holds a dead member's Lease as `kates-sharder.<identity>`. */
  readonly identity: string;
  /** The sharded objects: each query's kind, namespace and selectors (not limited to a member). */
  readonly queries: readonly Omit<Query, 'name'>[];
  /** Where the members' Leases live; the client's namespace by default. */
  readonly leaseNamespace?: string;
  /** Hash objects by uid (default) or by namespace. */
  readonly by?: ShardKey;
  readonly virtualNodes?: number;
  readonly clock?: Clock;
  readonly onError?: (error: unknown) => void;
}

/** What the sharder did, for tests and metrics. */
export interface SharderCounters {
  passes: number;
  assigned: number;
  drained: number;
  moved: number;
  adoptions: number;
  conflicts: number;
}

/**
 * Assigns the objects of a ring to its live members and moves them when members come and go.
 * Run it in one replica at a time, under leader election (`run(signal)` from `onStartedLeading`):
 * every write it makes is fenced by that signal.
 *
 * It watches the members' Leases and the sharded objects, and on every change (and every retry
 * period, for expiries) it:
 *
 * - labels each unassigned object with its member on the hash ring of live members;
 * - asks the live owner of an object the ring now gives to another member to let go (the drain
 *   label), and assigns it again only once the owner has removed its labels: no two members
 *   reconcile one object at once;
 * - for a member that is not live (its Lease expired as seen here, released, or missing), first
 *   takes that member's Lease (a leader election on it: it waits out the expiry, guarded by
 *   resourceVersion), then moves its objects straight to their new members, fenced by that
 *   Lease, and releases it. The member cannot come back and act on them meanwhile: it would need
 *   its Lease. A dead member's objects so move within leaseDuration + retryPeriod.
 *
 * Every label change is a merge patch that carries the resourceVersion the sharder saw, so a
 * decision made on a stale view fails with 409 and is made again on the next pass.
 */
export class Sharder {
  readonly labels: RingLabels;
  readonly counters: SharderCounters = {
    passes: 0,
    assigned: 0,
    drained: 0,
    moved: 0,
    adoptions: 0,
    conflicts: 0,
  };
  private readonly options: SharderOptions;
  private readonly clock: Clock;
  private readonly members = new MemberTracker();
  private readonly adoptions = new Map<string, LeaderElector>();

  constructor(options: SharderOptions) {
    this.options = options;
    this.labels = ringLabels(options.ring);
    this.clock = options.clock ?? systemClock;
  }

  /** Runs until `signal` aborts (the end of this process's term as the ring's sharder). */
  async run(signal: AbortSignal): Promise<void> {
    const { client } = this.options;
    const queries: Query[] = [
      {
        name: 'leases',
        kind: 'leases.coordination.k8s.io',
        namespace: this.options.leaseNamespace || client.namespace,
        labelSelector: `${this.labels.lease}=${this.options.ring}`,
      },
      ...this.options.queries.map((q, i) => ({ ...q, name: `objects${i}` })),
    ];
    const acc = client.watch(...queries);
    const writer = fencedClient(client, signal);
    const retryPeriodMs = this.options.retryPeriodMs ?? 2_000;
    const snapshot: Record<string, readonly KubernetesObject[]> = {};
    // One wait for the next change at a time, whatever the number of passes in between; each
    // pause is cut short by it, by the end of the term, or by the next expiry.
    let wake = () => {};
    let waiting = false;
    const onAbort = () => wake();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await Promise.race([
        acc.changed(),
        new Promise((r) => signal.addEventListener('abort', r, { once: true })),
      ]);
      while (!signal.aborted) {
        acc.update(snapshot);
        const leases = (snapshot.leases ?? []) as Lease[];
        const objects = this.options.queries.flatMap((_, i) => snapshot[`objects${i}`] ?? []);
        await this.pass(leases, objects, writer, signal);
        const now = this.clock.now();
        const expiry = this.members.nextExpiry(now);
        const wait = Math.max(
          10,
          Math.min(retryPeriodMs, expiry === undefined ? Infinity : expiry - now + 1),
        );
        const pause = new AbortController();
        wake = () => pause.abort();
        if (!waiting) {
          waiting = true;
          void acc.changed().then(() => {
            waiting = false;
            wake();
          });
        }
        await sleep(this.clock, wait, pause.signal);
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      acc.close();
      await Promise.all([...this.adoptions.values()].map((e) => e.stop()));
      this.adoptions.clear();
    }
  }

  /** One look at the ring: assign, drain, and adopt what needs it. */
  private async pass(
    leases: readonly Lease[],
    objects: readonly KubernetesObject[],
    writer: Client,
    signal: AbortSignal,
  ): Promise<void> {
    this.counters.passes++;
    const now = this.clock.now();
    this.members.observe(leases, now);
    // An adoption begun on a stale view, for a member seen live since, is called off before it
    // has taken the Lease (once it has, it finishes: the member waits for the release).
    for (const [member, elector] of this.adoptions)
      if (this.members.state(member, now) === 'ready' && !elector.isLeader()) {
        this.adoptions.delete(member);
        void elector.stop();
      }
    const ring = new HashRing(this.members.ready(now), this.options.virtualNodes ?? DEFAULT_VIRTUAL_NODES);
    const by = this.options.by ?? 'uid';
    const actions = planShards(objects, ring, (m) => this.members.state(m, now), this.labels, by);
    const { shard, drain } = this.labels;
    for (const action of actions) {
      if (signal.aborted) return;
      if (action.type === 'assign')
        await this.relabel(writer, action.object, { [shard]: action.to, [drain]: null }, 'assigned');
      else if (action.type === 'drain')
        await this.relabel(writer, action.object, { [drain]: 'true' }, 'drained');
      else this.adopt(action.member, signal);
    }
  }

  /** A merge patch of labels, guarded by the resourceVersion the sharder saw. */
  private async relabel(
    writer: Client,
    object: KubernetesObject,
    labels: Record<string, string | null>,
    counter: 'assigned' | 'drained' | 'moved',
  ): Promise<boolean> {
    try {
      await writer.patch(object, { metadata: { resourceVersion: object.metadata?.resourceVersion, labels } });
      this.counters[counter]++;
      return true;
    } catch (e) {
      if (isConflict(e) || isNotFound(e)) {
        this.counters.conflicts++;
        return false;
      }
      this.options.onError?.(e);
      return false;
    }
  }

  /**
   * Takes a member's Lease (waiting out its expiry like any candidate, from when this sharder
   * last saw it change) and, while holding it, moves the member's objects; then releases it.
   */
  private adopt(member: string, sharding: AbortSignal): void {
    if (this.adoptions.has(member)) return;
    this.counters.adoptions++;
    const { client } = this.options;
    const elector = new LeaderElector({
      client,
      name: member,
      namespace: this.options.leaseNamespace,
      identity: `kates-sharder.${this.options.identity}`,
      leaseDurationMs: this.options.leaseDurationMs,
      renewDeadlineMs: this.options.renewDeadlineMs,
      retryPeriodMs: this.options.retryPeriodMs,
      clock: this.clock,
      labels: { [this.labels.lease]: this.options.ring },
      onError: this.options.onError,
      // This sharder has watched the Lease already: its expiry counts from that observation.
      observed: this.members.observed(member),
      onStartedLeading: async (held) => {
        const fence: Fence = {
          signal: AbortSignal.any([held, sharding]),
          holds: () => fenceHolds(held) && fenceHolds(sharding),
        };
        await this.moveAway(member, fencedClient(client, fence), fence.signal);
        void this.finishAdoption(member, elector);
      },
    });
    this.adoptions.set(member, elector);
    elector.start();
  }

  private async finishAdoption(member: string, elector: LeaderElector): Promise<void> {
    await elector.stop();
    if (this.adoptions.get(member) === elector) this.adoptions.delete(member);
  }

  /** Moves every object labelled with `member` to its member on the ring (or unassigns it). */
  private async moveAway(member: string, writer: Client, signal: AbortSignal): Promise<void> {
    const { shard, drain } = this.labels;
    const by = this.options.by ?? 'uid';
    for (let attempt = 0; attempt < 10 && !signal.aborted; attempt++) {
      const now = this.clock.now();
      const ring = new HashRing(
        this.members.ready(now).filter((m) => m !== member),
        this.options.virtualNodes ?? DEFAULT_VIRTUAL_NODES,
      );
      // A fresh read: the objects the member still has, as the API server has them now.
      const objects = (
        await Promise.all(
          this.options.queries.map((q) =>
            this.options.client.list(q.kind, {
              namespace: q.namespace ?? 'all',
              labelSelector: q.labelSelector
                ? typeof q.labelSelector === 'string'
                  ? `${q.labelSelector},${shard}=${member}`
                  : { ...q.labelSelector, matchLabels: { ...q.labelSelector.matchLabels, [shard]: member } }
                : `${shard}=${member}`,
              fieldSelector: q.fieldSelector,
              signal,
            }),
          ),
        )
      ).flat();
      if (objects.length === 0) return;
      for (const object of objects) {
        if (signal.aborted) return;
        const to = ring.ownerOf(shardKeyOf(object, by)) ?? null;
        await this.relabel(writer, object, { [shard]: to, [drain]: null }, 'moved');
      }
    }
  }
}
