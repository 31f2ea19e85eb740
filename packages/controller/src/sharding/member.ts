import type { Client, KubernetesObject, LabelSelectorObject, Query } from '@kates/core';
import { compareResourceVersions } from '@kates/core/internal';
import { type Clock, sleep, systemClock } from '../clock.js';
import { LeaderElector } from '../leaderelection/elector.js';
import { fencedClient, fenceHolds } from '../leaderelection/fence.js';
import type { ElectionTiming } from '../leaderelection/options.js';
import { checkMemberName, type RingLabels, ringLabels } from './labels.js';

/** Options of {@link ShardMember}. */
export interface ShardMemberOptions extends Partial<ElectionTiming> {
  readonly client: Client;
  /** The ring's name: part of the label keys (`shard.kates.dev/<ring>`). */
  readonly ring: string;
  /** This replica's name: its Lease's name and holder, and the value of the shard label. */
  readonly identity: string;
  /** Where the members' Leases live; the client's namespace by default. */
  readonly leaseNamespace?: string;
  /** Called when this member starts holding its Lease, with a signal that aborts when it stops. */
  readonly onStarted?: (signal: AbortSignal) => void;
  /** Called when it stops holding its Lease. */
  readonly onStopped?: () => void;
  readonly onError?: (error: unknown) => void;
  readonly clock?: Clock;
}

/** What {@link ShardMember.handle} did with an object. */
export type HandleOutcome = 'reconciled' | 'drained' | 'skipped';

/** What this member owned when its current term began: a consistent list of each query. */
interface Baseline {
  readonly uids: Set<string>;
  /** The resourceVersion of each list, by `group/Kind`: objects changed later are judged by their labels. */
  readonly listedAt: Map<string, string>;
}

const groupKind = (apiVersion: string | undefined, kind: string | undefined) =>
  `${apiVersion?.includes('/') ? apiVersion.split('/')[0] : ''}/${kind ?? ''}`;

/**
 * One replica of a sharded controller: it holds a Lease of its own (named after it, labelled
 * with the ring) for as long as it runs, watches only the objects labelled with its name, and
 * lets go of an object when the sharder asks (the drain label).
 *
 * It owns an object while it holds its Lease, the object carries its shard label and no drain
 * label, and, for objects not changed since the term began, a consistent LIST made at the start
 * of the term says so too: after a pause or a partition the watch may still show objects the
 * sharder moved away meanwhile; the list does not.
 *
 * @example
 * const member = new ShardMember({ client, ring: 'widgets', identity: podName });
 * const acc = client.watch(member.query({ name: 'widgets', kind: 'widgets.example.com' }));
 * member.start();
 * for await (const _ of acc) {
 *   for (const w of acc.getSnapshot().widgets) void member.handle(w, (obj, signal) => reconcile(obj, signal));
 * }
 */
export class ShardMember {
  readonly identity: string;
  readonly labels: RingLabels;
  readonly elector: LeaderElector;
  private readonly client: Client;
  private readonly queries: Query[] = [];
  private term: AbortSignal | undefined;
  private baseline: Baseline | undefined;
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly options: ShardMemberOptions;

  constructor(options: ShardMemberOptions) {
    this.options = options;
    this.labels = ringLabels(options.ring);
    checkMemberName(options.identity, options.ring);
    this.identity = options.identity;
    this.client = options.client;
    this.elector = new LeaderElector({
      client: options.client,
      name: options.identity,
      namespace: options.leaseNamespace,
      identity: options.identity,
      labels: { [this.labels.lease]: options.ring },
      leaseDurationMs: options.leaseDurationMs,
      renewDeadlineMs: options.renewDeadlineMs,
      retryPeriodMs: options.retryPeriodMs,
      clock: options.clock,
      onError: options.onError,
      onStartedLeading: (signal) => this.startTerm(signal),
      onStoppedLeading: () => {
        this.term = undefined;
        this.baseline = undefined;
        options.onStopped?.();
      },
    });
  }

  /** The label selector of this member's objects: `shard.kates.dev/<ring>=<identity>`. */
  get selector(): string {
    return `${this.labels.shard}=${this.identity}`;
  }

  /**
   * A query limited to this member's objects (its label selector joined with the member's), to
   * pass to `client.watch()`. Queries made here are also listed at the start of each term, so
   * make them before `start()`.
   */
  query<const Q extends Query>(q: Q): Q {
    const own = this.selector;
    let labelSelector: string | LabelSelectorObject;
    if (typeof q.labelSelector === 'object' && q.labelSelector !== null)
      labelSelector = {
        ...q.labelSelector,
        matchLabels: { ...q.labelSelector.matchLabels, [this.labels.shard]: this.identity },
      };
    else labelSelector = q.labelSelector ? `${q.labelSelector},${own}` : own;
    const limited = { ...q, labelSelector } as Q;
    this.queries.push(limited);
    return limited;
  }

  /** Starts holding this member's Lease (and campaigning for it while another holds it). */
  start(): this {
    this.elector.start();
    return this;
  }

  /** Stops reconciling, then releases the Lease, so the sharder moves the objects at once. */
  async stop(): Promise<void> {
    await this.elector.stop();
  }

  /** The current term's signal; undefined while this member does not hold its Lease. */
  get signal(): AbortSignal | undefined {
    return this.term;
  }

  /** Whether this member may act now: it holds its Lease and knows what it owned at the start. */
  isActive(): boolean {
    return this.term !== undefined && fenceHolds(this.term) && this.baseline !== undefined;
  }

  /** Whether this member owns `obj` now (see the class description). */
  owns(obj: KubernetesObject): boolean {
    const labels = obj.metadata?.labels ?? {};
    if (labels[this.labels.shard] !== this.identity || labels[this.labels.drain] !== undefined) return false;
    if (!this.isActive()) return false;
    const baseline = this.baseline!;
    const uid = obj.metadata?.uid;
    if (uid && baseline.uids.has(uid)) return true;
    const listed = baseline.listedAt.get(groupKind(obj.apiVersion, obj.kind));
    return listed !== undefined && (compareResourceVersions(obj.metadata?.resourceVersion, listed) ?? 0) > 0;
  }

  /**
   * Handles one object, one call at a time per object: acknowledges a drain (removes the shard and
   * drain labels, once any reconcile of it in progress has finished), runs `reconcile` when this
   * member owns it, and skips it otherwise. `reconcile` gets the term's signal; its writes should
   * go through `fencedClient(client, signal)`. Rejects when the acknowledgement or `reconcile`
   * fails (a 409 on the acknowledgement means a newer version is on its way: handle that one).
   */
  handle(
    obj: KubernetesObject,
    reconcile: (obj: KubernetesObject, signal: AbortSignal) => Promise<void> | void,
  ): Promise<HandleOutcome> {
    const key = obj.metadata?.uid ?? `${obj.metadata?.namespace}/${obj.metadata?.name}`;
    const previous = this.inFlight.get(key) ?? Promise.resolve();
    const next = previous.then(
      () => this.handleNow(obj, reconcile),
      () => this.handleNow(obj, reconcile),
    );
    this.inFlight.set(key, next);
    void next.finally(() => {
      if (this.inFlight.get(key) === next) this.inFlight.delete(key);
    });
    return next;
  }

  private async handleNow(
    obj: KubernetesObject,
    reconcile: (obj: KubernetesObject, signal: AbortSignal) => Promise<void> | void,
  ): Promise<HandleOutcome> {
    const term = this.term;
    const labels = obj.metadata?.labels ?? {};
    if (!term || !this.isActive() || labels[this.labels.shard] !== this.identity) return 'skipped';
    if (labels[this.labels.drain] !== undefined) {
      // The acknowledgement: guarded by the version we saw (a newer one is handled when it comes)
      // and fenced by our term, so a member that lost its Lease never clears another's label.
      await fencedClient(this.client, term).patch(obj, {
        metadata: {
          resourceVersion: obj.metadata?.resourceVersion,
          labels: { [this.labels.shard]: null, [this.labels.drain]: null },
        },
      });
      return 'drained';
    }
    if (!this.owns(obj)) return 'skipped';
    await reconcile(obj, term);
    return 'reconciled';
  }

  private startTerm(signal: AbortSignal): void {
    this.term = signal;
    this.baseline = undefined;
    void this.listBaseline(signal);
    this.options.onStarted?.(signal);
  }

  // A consistent LIST (no resourceVersion: read from etcd, or from a cache proven as new) of
  // every query, retried each retry period until it succeeds or the term ends.
  private async listBaseline(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const uids = new Set<string>();
        const listedAt = new Map<string, string>();
        for (const q of this.queries) {
          const rt = await this.client.discovery.resolve(q.kind);
          const key = groupKind(rt.group ? `${rt.group}/${rt.version}` : rt.version, rt.kind);
          let first = true;
          for await (const page of this.client.listPages(q.kind, {
            namespace: q.namespace ?? 'all',
            labelSelector: q.labelSelector,
            fieldSelector: q.fieldSelector,
            signal,
          })) {
            if (first) {
              const prev = listedAt.get(key);
              if (!prev || (compareResourceVersions(page.resourceVersion, prev) ?? 1) > 0)
                listedAt.set(key, page.resourceVersion);
              first = false;
            }
            for (const item of page.items) if (item.metadata?.uid) uids.add(item.metadata.uid);
          }
        }
        if (this.term === signal) this.baseline = { uids, listedAt };
        return;
      } catch (e) {
        if (signal.aborted) return;
        this.options.onError?.(e);
        await sleep(this.options.clock ?? systemClock, this.elector.timing.retryPeriodMs, signal);
      }
    }
  }
}
