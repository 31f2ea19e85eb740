import type { KubernetesObject } from '@kates/core';
import { deepFreeze } from './json.js';

/** The watch event types a write produces. */
export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/**
 * One committed write: the object after it (for DELETED, the last state with the deletion's
 * resourceVersion, as the apiserver sends it) and the object before it.
 */
export interface StoreEvent {
  readonly rv: number;
  readonly storageKey: string;
  /** `namespace/name`, or `name` for cluster-scoped objects. */
  readonly key: string;
  readonly type: ChangeType;
  readonly object: KubernetesObject;
  readonly prev: KubernetesObject | undefined;
}

/** A resourceVersion older than the retained history (410 Gone / Expired in the apiserver). */
export class ResourceVersionExpired extends Error {
  constructor(
    readonly requested: number,
    readonly oldest: number,
  ) {
    super(`too old resource version: ${requested} (${oldest})`);
  }
}

/** `namespace/name`, or `name` for cluster-scoped objects: the order etcd lists objects in. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The objects of one resource (all its versions), by key. Keys are kept sorted for paging, lazily:
 * writes only note what changed, and the next read merges a few changes in or re-sorts after
 * many (inserting each of 100k seeded objects into a sorted array would be quadratic).
 */
class Collection {
  readonly objects = new Map<string, KubernetesObject>();
  private keys: string[] = [];
  private added: string[] = [];
  private removed = new Set<string>();

  set(key: string, obj: KubernetesObject): void {
    if (!this.objects.has(key)) {
      if (this.removed.has(key)) this.removed.delete(key);
      else this.added.push(key);
    }
    this.objects.set(key, obj);
  }

  delete(key: string): void {
    if (!this.objects.delete(key)) return;
    const i = this.added.indexOf(key);
    if (i >= 0 && this.added.length < 64) this.added.splice(i, 1);
    else this.removed.add(key);
  }

  /** Keys in order. */
  get sorted(): readonly string[] {
    const changes = this.added.length + this.removed.size;
    if (changes === 0) return this.keys;
    if (changes > 256) {
      this.keys = [...this.objects.keys()].sort();
    } else {
      for (const key of this.removed) {
        const i = lowerBound(this.keys, key);
        if (this.keys[i] === key) this.keys.splice(i, 1);
      }
      for (const key of this.added) {
        if (!this.objects.has(key)) continue;
        const i = lowerBound(this.keys, key);
        if (this.keys[i] !== key) this.keys.splice(i, 0, key);
      }
    }
    this.added = [];
    this.removed = new Set();
    return this.keys;
  }
}

/**
 * The fake API server's storage, standing in for etcd: one map per resource, one global
 * resourceVersion counter (integers, sent as strings), and a window of recent events for watches
 * and paged lists from an older resourceVersion. Stored objects are frozen, so a version once
 * sent never changes and can be shared by every response and watcher.
 */
export class ObjectStore {
  private rv: number;
  private readonly collections = new Map<string, Collection>();
  private history: StoreEvent[] = [];
  private historyStart = 0;
  /** Events with rv <= this are gone. */
  private compactedRv: number;
  private readonly listeners = new Set<(e: StoreEvent) => void>();

  constructor(
    private readonly historySize: number,
    initialRv = 1,
  ) {
    this.rv = initialRv;
    this.compactedRv = initialRv;
  }

  /** The newest resourceVersion. */
  get resourceVersion(): number {
    return this.rv;
  }

  /** The oldest resourceVersion a watch or paged list can still start from. */
  get oldestResourceVersion(): number {
    return this.compactedRv;
  }

  private collection(storageKey: string): Collection {
    let c = this.collections.get(storageKey);
    if (!c) {
      c = new Collection();
      this.collections.set(storageKey, c);
    }
    return c;
  }

  get(storageKey: string, key: string): KubernetesObject | undefined {
    return this.collections.get(storageKey)?.objects.get(key);
  }

  /** How many objects a resource holds (optionally in one namespace). */
  count(storageKey: string, namespace?: string): number {
    const c = this.collections.get(storageKey);
    if (!c) return 0;
    if (!namespace) return c.objects.size;
    let n = 0;
    for (const _ of this.keysFrom(storageKey, namespace, undefined)) n++;
    return n;
  }

  /**
   * Commits a write: `next` undefined deletes. Assigns the next resourceVersion, freezes what it
   * keeps, records the event and tells the listeners. `build` gets the new resourceVersion and
   * returns the object to store.
   */
  commit(storageKey: string, key: string, build: (rv: string) => KubernetesObject | undefined): StoreEvent {
    const c = this.collection(storageKey);
    const prev = c.objects.get(key);
    const rv = this.rv + 1;
    const next = build(String(rv));
    let event: StoreEvent;
    if (next === undefined) {
      if (!prev) throw new Error(`cannot delete ${key} of ${storageKey}: it does not exist`);
      c.delete(key);
      const last = deepFreeze({ ...prev, metadata: { ...prev.metadata, resourceVersion: String(rv) } });
      event = { rv, storageKey, key, type: 'DELETED', object: last, prev };
    } else {
      deepFreeze(next);
      c.set(key, next);
      event = { rv, storageKey, key, type: prev ? 'MODIFIED' : 'ADDED', object: next, prev };
    }
    this.rv = rv;
    this.record(event);
    for (const l of this.listeners) l(event);
    return event;
  }

  private record(e: StoreEvent): void {
    this.history.push(e);
    if (this.history.length - this.historyStart > this.historySize) {
      this.compactedRv = (this.history[this.historyStart] as StoreEvent).rv;
      this.historyStart++;
      if (this.historyStart > this.historySize) {
        this.history = this.history.slice(this.historyStart);
        this.historyStart = 0;
      }
    }
  }

  /** Drops all history: watches and paged lists from any older resourceVersion get 410 (etcd compaction). */
  compact(): number {
    this.history = [];
    this.historyStart = 0;
    this.compactedRv = this.rv;
    return this.rv;
  }

  /** Calls `listener` with every committed event, synchronously, in order. */
  subscribe(listener: (e: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Throws {@link ResourceVersionExpired} when `rv` is older than the retained history. */
  checkRetained(rv: number): void {
    if (rv < this.compactedRv) throw new ResourceVersionExpired(rv, this.compactedRv + 1);
  }

  /** The events of a resource after `rv`, oldest first. */
  eventsSince(storageKey: string, rv: number): StoreEvent[] {
    this.checkRetained(rv);
    const out: StoreEvent[] = [];
    let lo = this.historyStart;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.history[mid] as StoreEvent).rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.history.length; i++) {
      const e = this.history[i] as StoreEvent;
      if (e.storageKey === storageKey) out.push(e);
    }
    return out;
  }

  /**
   * Keys in order from `after` (exclusive), optionally within one namespace, with the object each
   * had at resourceVersion `atRv` (the current state when `atRv` is the newest): the consistent
   * snapshot a paged list continues from, as etcd's MVCC gives the real apiserver.
   */
  *keysFrom(
    storageKey: string,
    namespace: string | undefined,
    after: string | undefined,
    atRv = this.rv,
  ): Generator<[string, KubernetesObject]> {
    const c = this.collections.get(storageKey);
    if (!c) return;
    const prefix = namespace ? `${namespace}/` : '';
    let overlay: Map<string, KubernetesObject | null> | undefined;
    if (atRv < this.rv) {
      overlay = new Map();
      const events = this.eventsSince(storageKey, atRv);
      for (let i = events.length - 1; i >= 0; i--) {
        const e = events[i] as StoreEvent;
        overlay.set(e.key, e.type === 'ADDED' ? null : (e.prev as KubernetesObject));
      }
    }
    // Start after `after`, but never before the namespace's first key (strings compare, not numbers).
    const afterKey = after === undefined ? prefix : `${after}\u0000`;
    // biome-ignore lint/complexity/useMathMinMax: these are strings; Math.max would compare NaN
    const start = afterKey < prefix ? prefix : afterKey;
    const sorted = c.sorted;
    let i = lowerBound(sorted, start);
    const extra = overlay
      ? [...overlay.keys()].filter((k) => !c.objects.has(k) && k >= start && k.startsWith(prefix)).sort()
      : [];
    let j = 0;
    for (;;) {
      const currentKey = sorted[i];
      const live = currentKey?.startsWith(prefix) ? currentKey : undefined;
      const gone = extra[j];
      if (live === undefined && gone === undefined) return;
      const key = gone !== undefined && (live === undefined || gone < live) ? gone : (live as string);
      if (key === gone) j++;
      else i++;
      const obj = overlay?.has(key) ? overlay.get(key) : c.objects.get(key);
      if (obj) yield [key, obj];
    }
  }

  /** Storage keys that hold objects. */
  storageKeys(): string[] {
    return [...this.collections].filter(([, c]) => c.objects.size > 0).map(([k]) => k);
  }

  /** How many objects come after key `after` (optionally within a namespace) at resourceVersion `atRv`. */
  countFrom(storageKey: string, namespace: string | undefined, after: string, atRv = this.rv): number {
    const c = this.collections.get(storageKey);
    if (!c) return 0;
    if (atRv < this.rv) {
      let n = 0;
      for (const _ of this.keysFrom(storageKey, namespace, after, atRv)) n++;
      return n;
    }
    // Keys are sorted, and a namespace's keys are contiguous: two binary searches.
    const sorted = c.sorted;
    const end = namespace ? lowerBound(sorted, `${namespace}/\uffff`) : sorted.length;
    return Math.max(0, end - lowerBound(sorted, `${after}\u0000`));
  }

  /** Removes a whole resource's storage (a deleted CRD's objects are deleted one by one first). */
  drop(storageKey: string): void {
    this.collections.delete(storageKey);
  }
}
