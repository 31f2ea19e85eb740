import type { Action } from '@reduxjs/toolkit';
import type { KubernetesObject } from '../model/object.js';
import { compareResourceVersions } from '../resource-version.js';
import * as actions from './actions.js';
import { deepFreeze } from './freeze.js';
import { queryMatches } from './match.js';
import { PendingIndex } from './pending-index.js';
import type {
  KatesState,
  LocalWrite,
  ObjectEntry,
  PendingWrite,
  QueryState,
  ReflectorCounters,
  ReflectorState,
} from './state.js';
import { emptyTree, type Tree, TreeEditor, treeForEach, treeGet, treeHas } from './tree.js';

const zeroCounters: ReflectorCounters = Object.freeze({
  events: 0,
  bookmarks: 0,
  relists: 0,
  reconnects: 0,
  poisonLines: 0,
});

/** The initial kates state. */
export const initialKatesState: KatesState = Object.freeze({
  objects: emptyTree<ObjectEntry>(),
  reflectors: Object.freeze({}),
  queries: Object.freeze({}),
  localPending: emptyTree<PendingWrite>(),
  seq: 0,
});

/**
 * The work of one action: copies what it touches once, then writes in place; `finish()` builds
 * the next state. Membership of the touched objects is re-judged once per action, at the end.
 */
class Batch {
  readonly objects: TreeEditor<ObjectEntry>;
  readonly reflectors: Record<string, ReflectorState>;
  readonly queries: Record<string, QueryState>;
  readonly localPending: TreeEditor<PendingWrite>;
  private reflectorsChanged = false;
  private queriesChanged = false;
  /** UIDs whose entry in `localPending` this action added, replaced or released. */
  private readonly pendingChanged = new Set<string>();
  /** UIDs to re-judge, by group-kind. */
  private readonly touched = new Map<string, Set<string>>();
  readonly arrival: number;

  constructor(
    private readonly state: KatesState,
    private readonly freeze: boolean,
  ) {
    this.objects = new TreeEditor(state.objects);
    this.reflectors = state.reflectors as Record<string, ReflectorState>;
    this.queries = state.queries as Record<string, QueryState>;
    this.localPending = new TreeEditor(state.localPending);
    this.arrival = state.seq + 1;
  }

  setReflector(r: ReflectorState): void {
    if (!this.reflectorsChanged) {
      (this as { reflectors: Record<string, ReflectorState> }).reflectors = { ...this.reflectors };
      this.reflectorsChanged = true;
    }
    this.reflectors[r.key] = r;
  }

  deleteReflector(key: string): void {
    if (!this.reflectorsChanged) {
      (this as { reflectors: Record<string, ReflectorState> }).reflectors = { ...this.reflectors };
      this.reflectorsChanged = true;
    }
    delete this.reflectors[key];
  }

  setQuery(q: QueryState): void {
    if (!this.queriesChanged) {
      (this as { queries: Record<string, QueryState> }).queries = { ...this.queries };
      this.queriesChanged = true;
    }
    this.queries[q.id] = q;
  }

  deleteQuery(id: string): void {
    if (!this.queriesChanged) {
      (this as { queries: Record<string, QueryState> }).queries = { ...this.queries };
      this.queriesChanged = true;
    }
    delete this.queries[id];
  }

  setLocalPending(uid: string, pending: PendingWrite | undefined): void {
    if (pending === undefined) this.localPending.delete(uid);
    else this.localPending.set(uid, pending);
    this.pendingChanged.add(uid);
  }

  /** UIDs with a pending write of `groupKind`, as this action leaves them so far. */
  pendingUids(groupKind: string): string[] {
    const uids = new Set(this.pendingChanged);
    treeForEach(this.state.localPending, (_kind, uid) => {
      uids.add(uid);
    });
    return [...uids].filter((uid) => this.localPending.get(uid)?.groupKind === groupKind);
  }

  /** Marks `uid` for re-judging; without a uid, only releases local writes of the kind. */
  touch(groupKind: string, uid?: string): void {
    let set = this.touched.get(groupKind);
    if (!set) {
      set = new Set();
      this.touched.set(groupKind, set);
    }
    if (uid !== undefined) set.add(uid);
  }

  reflectorsOf(groupKind: string): ReflectorState[] {
    const out: ReflectorState[] = [];
    for (const key in this.reflectors) {
      const r = this.reflectors[key]!;
      if (r.groupKind === groupKind) out.push(r);
    }
    return out;
  }

  /** Stores `obj` unless the store already holds a newer version of it; returns the entry. */
  upsertObject(obj: KubernetesObject, groupKind: string): ObjectEntry | undefined {
    const uid = obj.metadata?.uid;
    if (!uid) return undefined;
    const rv = obj.metadata?.resourceVersion ?? '';
    const held = this.objects.get(uid);
    if (held) {
      const c = compareResourceVersions(rv, held.resourceVersion);
      // Equal: keep the held object, so that snapshots keep its identity. Older: never regress.
      if (c !== undefined && c <= 0) return held;
    }
    const object = this.freeze ? deepFreeze(obj) : obj;
    // Two literals rather than a conditional spread: this runs once per event.
    const entry: ObjectEntry = Object.freeze(
      held?.local
        ? { object, groupKind, resourceVersion: rv, arrival: this.arrival, local: held.local }
        : { object, groupKind, resourceVersion: rv, arrival: this.arrival },
    );
    this.objects.set(uid, entry);
    return entry;
  }

  /**
   * Keeps `entry` with `local` pending (a write, a deletion or a floor) until every watch of its
   * kind has reached `local.resourceVersion`; `rejudge` releases it.
   */
  keepPending(uid: string, entry: ObjectEntry, local: LocalWrite): void {
    this.objects.set(uid, Object.freeze({ ...entry, local }));
    this.setLocalPending(
      uid,
      Object.freeze({ groupKind: entry.groupKind, resourceVersion: local.resourceVersion }),
    );
  }

  /**
   * A deletion a watch has seen is final: UIDs are never reused (a DELETED event of an object that
   * still matches the watch's selectors; one that no longer matches has only left its set). While
   * another watch of the kind has not reached it, the object is kept as a pending deletion, hidden
   * from every query, so that neither that watch's older events nor a late write response brings
   * it back; it goes when every watch has passed the deletion, as a local delete does. The event's
   * version replaces that of a local deletion (unknown after a `Status` answer, or a later one
   * learnt from a list): it is the deletion's own.
   */
  markDeleted(uid: string, resourceVersion: string, groupKind: string, by: string): void {
    const entry = this.objects.get(uid);
    if (!entry || (entry.local?.deleted && entry.local.resourceVersion === resourceVersion)) return;
    const local: LocalWrite = Object.freeze({ resourceVersion, arrival: this.arrival, deleted: true });
    if (!entry.local && this.reflectorsOf(groupKind).every((r) => r.key === by || reached(r, local))) return;
    this.keepPending(uid, entry, local);
  }

  /** Holds a deletion of a UID the store has no object of: its reference stands in, never shown. */
  tombstone(object: KubernetesObject, groupKind: string): ObjectEntry {
    const entry: ObjectEntry = Object.freeze({
      object: this.freeze ? deepFreeze(object) : object,
      groupKind,
      resourceVersion: '',
      arrival: this.arrival,
    });
    this.objects.set(object.metadata!.uid!, entry);
    return entry;
  }

  finish(): KatesState {
    for (const [groupKind, uids] of this.touched) this.rejudge(groupKind, uids);
    const objects = this.objects.finish();
    if (
      objects === this.state.objects &&
      !this.reflectorsChanged &&
      !this.queriesChanged &&
      !this.localPending.changed
    )
      return this.state;
    const localPending = this.localPending.finish();
    if (localPending !== this.state.localPending) {
      PendingIndex.derive(this.state.localPending, localPending, this.pendingChanged);
    }
    return {
      objects,
      reflectors: this.reflectors,
      queries: this.queries,
      localPending,
      seq: this.arrival,
    };
  }

  /**
   * The pending writes of `groupKind` this action may have changed the fate of: those it touched,
   * those whose resourceVersion a moved watch has just crossed (either way), and those whose
   * resourceVersion cannot be ordered. All of them when a moved watch's version cannot be ordered
   * (a watch that has just listed for the first time, a server without etcd revisions).
   */
  private pendingCandidates(
    groupKind: string,
    moved: readonly (readonly [ReflectorState | undefined, ReflectorState])[],
    uids: ReadonlySet<string>,
  ): Iterable<string> {
    // The common case, a watch event with no write in flight, costs nothing here.
    if (this.state.localPending.size === 0 && this.pendingChanged.size === 0) return [];
    const all = () => this.pendingUids(groupKind);
    const index = PendingIndex.of(this.state.localPending);
    const out = new Set<string>();
    for (const uid of uids) if (this.localPending.has(uid)) out.add(uid);
    for (const [before, after] of moved) {
      if (!before) return all();
      const c = compareResourceVersions(before.resourceVersion, after.resourceVersion);
      if (c === undefined) return all();
      if (c === 0) continue;
      const [lo, hi] =
        c < 0
          ? [before.resourceVersion, after.resourceVersion]
          : [after.resourceVersion, before.resourceVersion];
      for (const uid of index.between(groupKind, lo, hi)) out.add(uid);
    }
    if (moved.length > 0) for (const uid of index.unordered(groupKind)) out.add(uid);
    return out;
  }

  /** Releases local writes the watches have caught up with, drops objects no one holds, and
   * re-judges the membership of `uids` in every query of `groupKind`. */
  private rejudge(groupKind: string, uids: Set<string>): void {
    const reflectors = this.reflectorsOf(groupKind);
    // The watches this action changed, with their state before it.
    const moved: [before: ReflectorState | undefined, after: ReflectorState][] = [];
    for (const r of reflectors) {
      const before = this.state.reflectors[r.key];
      if (r !== before) moved.push([before, r]);
    }
    for (const uid of this.pendingCandidates(groupKind, moved, uids)) {
      if (this.localPending.get(uid)?.groupKind !== groupKind) continue;
      const entry = this.objects.get(uid);
      if (!entry?.local) {
        this.setLocalPending(uid, undefined);
        uids.add(uid);
        continue;
      }
      const local = entry.local;
      if (reflectors.every((r) => reached(r, local))) {
        const { local: _released, ...rest } = entry;
        this.objects.set(uid, Object.freeze(rest));
        this.setLocalPending(uid, undefined);
        uids.add(uid);
      } else if (moved.some(([before, r]) => !before || reached(before, local) !== reached(r, local))) {
        // Not released (another watch lags), but a watch that has just passed the write (or gone
        // back before it, after a lagging list) now decides alone whether its queries show it.
        uids.add(uid);
      }
    }
    for (const uid of uids) {
      const entry = this.objects.get(uid);
      if (!entry) continue;
      if (!reflectors.some((r) => treeHas(r.held, uid)) && !entry.local) {
        const floor: LocalWrite = Object.freeze({
          resourceVersion: entry.resourceVersion,
          arrival: entry.arrival,
          deleted: false,
          floor: true,
        });
        if (!entry.resourceVersion || reflectors.every((r) => reached(r, floor))) this.objects.delete(uid);
        else this.keepPending(uid, entry, floor);
      } else if (
        entry.local?.deleted &&
        !reflectors.some((r) => treeHas(r.held, uid) || !reached(r, entry.local!))
      ) {
        this.objects.delete(uid);
        this.setLocalPending(uid, undefined);
      }
    }
    for (const id in this.queries) {
      const q = this.queries[id]!;
      if (q.groupKind !== groupKind || !q.watchKey) continue;
      // A query whose watch was removed under it shows nothing: the store may drop its objects.
      const r = this.reflectors[q.watchKey];
      const members = new TreeEditor(q.members);
      for (const uid of uids) {
        const obj = r && memberObject(r, this.objects.get(uid), uid);
        if (obj) members.set(uid, obj);
        else members.delete(uid);
      }
      if (members.changed) {
        const next = members.finish();
        if (next !== q.members) this.setQuery({ ...q, members: next });
      }
    }
  }
}

/**
 * Whether watch `r` has reached the resourceVersion of a local write. A deletion whose version is
 * not known yet (a `Status` answer) is reached by no watch: arrival order would rank a lagging
 * watch's next event after it.
 */
function reached(r: ReflectorState, local: LocalWrite): boolean {
  if (!local.resourceVersion) return false;
  const c = compareResourceVersions(r.resourceVersion, local.resourceVersion);
  return c === undefined ? r.arrival > local.arrival : c >= 0;
}

/**
 * The object the queries of watch `r` show for `uid`, or undefined. An object is shown when it
 * matches the watch and the watch holds it, or when a local write of it is newer than what the
 * watch has reached. A local delete hides it everywhere until the watches confirm it.
 *
 * Judged by the watch rather than the query: they share selectors, and the watch of a
 * cluster-scoped kind has no namespace even when its query names one (as kubectl ignores -n).
 */
function memberObject(
  r: ReflectorState,
  entry: ObjectEntry | undefined,
  uid: string,
): KubernetesObject | undefined {
  if (!entry || entry.local?.deleted) return undefined;
  if (!queryMatches(r, entry.object)) return undefined;
  if (treeHas(r.held, uid) || (entry.local && !entry.local.floor && !reached(r, entry.local)))
    return entry.object;
  return undefined;
}

function withReflector(
  b: Batch,
  key: string,
  fn: (r: ReflectorState) => ReflectorState,
): ReflectorState | undefined {
  const r = b.reflectors[key];
  if (!r) return undefined;
  const next = fn(r);
  if (next !== r) b.setReflector(next);
  return next;
}

/** Builds a query's members from scratch: when it binds to a watch that may already hold objects. */
function rebuildMembers(b: Batch, q: QueryState): QueryState {
  const r = q.watchKey ? b.reflectors[q.watchKey] : undefined;
  const members = new TreeEditor(emptyTree<KubernetesObject>());
  if (r) {
    treeForEach(r.held, (_v, uid) => {
      const obj = memberObject(r, b.objects.get(uid), uid);
      if (obj) members.set(uid, obj);
    });
    for (const uid of b.pendingUids(q.groupKind ?? '')) {
      const obj = memberObject(r, b.objects.get(uid), uid);
      if (obj) members.set(uid, obj);
    }
  }
  return { ...q, members: members.finish() };
}

/** Options of {@link createKatesReducer}. */
export interface KatesReducerOptions {
  /**
   * Deep-freeze every object the store takes in, so that code mutating an object it got from a
   * snapshot throws at the line that does it. Default: on, except when `NODE_ENV` is `production`
   * (see {@link freezeByDefault}).
   */
  readonly freeze?: boolean;
}

/**
 * Whether stores freeze their objects when not told: yes, unless `process.env.NODE_ENV` is
 * `production` (as bundlers set it for browser builds). Objects in snapshots must never be
 * mutated, in any mode; freezing makes a mutation throw where it happens, as client-go's cache
 * mutation detector and Redux Toolkit's immutability check do in development. It walks every
 * node of every incoming object (7 us of a 38 us event at 100k Pods, measured in bench/), so
 * production leaves it out, as those checks do.
 */
export function freezeByDefault(): boolean {
  try {
    return process.env.NODE_ENV !== 'production';
  } catch {
    // No `process` (a browser without a bundler's define): development.
    return true;
  }
}

/**
 * Makes a kates reducer. Hand-written rather than built with immer: one watch event must cost the
 * same at 1k and 100k objects, and immer's drafts and freezing walk what they are given.
 */
export function createKatesReducer(options: KatesReducerOptions = {}) {
  const freeze = options.freeze ?? freezeByDefault();
  return (state: KatesState = initialKatesState, action: Action): KatesState => reduce(state, action, freeze);
}

/** The kates reducer, freezing objects as {@link freezeByDefault} says. */
export const katesReducer = createKatesReducer();

function reduce(state: KatesState, action: Action, freeze: boolean): KatesState {
  if (!action.type.startsWith('kates/')) return state;
  const b = new Batch(state, freeze);

  if (actions.watchEvents.match(action)) {
    const { key, events } = action.payload;
    const r0 = b.reflectors[key];
    if (!r0) return state;
    const held = new TreeEditor(r0.held);
    let resourceVersion = r0.resourceVersion;
    let count = 0;
    let bookmarks = 0;
    for (const ev of events) {
      const evRv = ev.object.metadata?.resourceVersion;
      const c = compareResourceVersions(evRv, resourceVersion);
      if (ev.type === 'BOOKMARK') bookmarks++;
      else {
        const uid = ev.object.metadata?.uid;
        if (!uid) continue;
        count++;
        // A watch delivers versions newer than the one it started from, in order. An event at or
        // below what this watch has reached is a duplicate or a replay: the watch's state already
        // accounts for it, and applying it could bring back an object the watch deleted.
        if (c !== undefined && c <= 0) continue;
        b.upsertObject(ev.object, r0.groupKind);
        if (ev.type === 'DELETED') {
          held.delete(uid);
          // DELETED also says that an object left the watch's selectors; then it still exists.
          if (evRv && queryMatches(r0, ev.object)) b.markDeleted(uid, evRv, r0.groupKind, r0.key);
        } else held.set(uid, true);
        b.touch(r0.groupKind, uid);
      }
      if (evRv && (c === undefined || c > 0)) resourceVersion = evRv;
    }
    const advanced = resourceVersion !== r0.resourceVersion;
    b.setReflector({
      ...r0,
      ...(advanced ? { resourceVersion, arrival: b.arrival } : {}),
      held: held.finish(),
      counters: {
        ...r0.counters,
        events: r0.counters.events + count,
        bookmarks: r0.counters.bookmarks + bookmarks,
      },
    });
    // A bookmark alone can release local writes: the watch has reached their version.
    if (advanced) b.touch(r0.groupKind);
    return b.finish();
  }

  if (actions.localWrite.match(action)) {
    const { groupKind, object, deleted } = action.payload;
    const uid = object.metadata?.uid;
    const reflectors = b.reflectorsOf(groupKind);
    if (!uid || reflectors.length === 0) return state;
    const rv = object.metadata?.resourceVersion ?? '';
    const held = b.objects.get(uid);
    if (held?.local?.deleted) {
      // A deletion is final for its UID: any write of it answered later was made before it. A
      // second answer to the deletion itself may only give a version it did not have.
      if (!deleted || !rv || held.local.resourceVersion) return state;
      b.keepPending(uid, held, Object.freeze({ resourceVersion: rv, arrival: b.arrival, deleted }));
      b.touch(groupKind, uid);
      return b.finish();
    }
    let entry: ObjectEntry | undefined;
    if (!rv) {
      // Without a version a write cannot be ordered against the watches: only a delete (answered
      // with a Status) is kept, hiding the object until its version is known and passed.
      if (!deleted) return state;
      entry = held ?? b.tombstone(object, groupKind);
    } else {
      // Never apply a write older than what the store holds: a late response must not regress.
      const c = held ? compareResourceVersions(rv, held.resourceVersion) : 1;
      if (held && c !== undefined && c < 0 && !deleted) return state;
      entry = b.upsertObject(object, groupKind) ?? held;
    }
    if (!entry) return state;
    const local: LocalWrite = Object.freeze({ resourceVersion: rv, arrival: b.arrival, deleted });
    if (!deleted && reflectors.every((r) => reached(r, local))) return state;
    b.keepPending(uid, entry, local);
    b.touch(groupKind, uid);
    return b.finish();
  }

  if (actions.deletionVersion.match(action)) {
    const { groupKind, uids, resourceVersion } = action.payload;
    for (const uid of uids) {
      const entry = b.objects.get(uid);
      if (!entry?.local?.deleted || entry.local.resourceVersion) continue;
      b.keepPending(uid, entry, Object.freeze({ resourceVersion, arrival: b.arrival, deleted: true }));
      b.touch(groupKind, uid);
    }
    return b.finish();
  }

  if (actions.listStarted.match(action)) {
    withReflector(b, action.payload.key, (r) => ({
      ...r,
      relist: emptyTree(),
      phase: r.synced ? 'relisting' : 'listing',
    }));
    return b.finish();
  }

  if (actions.listPage.match(action)) {
    withReflector(b, action.payload.key, (r) => {
      const items = new TreeEditor(r.relist ?? emptyTree<KubernetesObject>());
      for (const obj of action.payload.items) {
        const uid = obj.metadata?.uid;
        if (uid) items.set(uid, obj);
      }
      return { ...r, relist: items.finish() };
    });
    return b.finish();
  }

  if (actions.listCompleted.match(action)) {
    const r = b.reflectors[action.payload.key];
    if (!r) return state;
    const items = r.relist ?? emptyTree<KubernetesObject>();
    const held = new TreeEditor(emptyTree<true>());
    treeForEach(items, (obj, uid) => {
      b.upsertObject(obj, r.groupKind);
      held.set(uid, true);
      b.touch(r.groupKind, uid);
    });
    // Objects missing from the new list are gone: their last known state leaves with them.
    treeForEach(r.held, (_v, uid) => {
      if (!treeHas(items, uid)) b.touch(r.groupKind, uid);
    });
    // The watch has reached the list's version: local writes it has passed may be released.
    b.touch(r.groupKind);
    const { relist: _done, ...rest } = r;
    b.setReflector({
      ...rest,
      held: held.finish(),
      synced: true,
      phase: 'watching',
      resourceVersion: action.payload.resourceVersion,
      arrival: b.arrival,
      counters: r.synced ? { ...r.counters, relists: r.counters.relists + 1 } : r.counters,
    });
    return b.finish();
  }

  if (actions.reflectorStatus.match(action)) {
    const p = action.payload;
    withReflector(b, p.key, (r) => {
      const next: ReflectorState = {
        ...r,
        phase: p.phase,
        ...(p.attempt !== undefined ? { attempt: p.attempt } : {}),
        counters: p.count ? { ...r.counters, [p.count]: r.counters[p.count] + 1 } : r.counters,
      };
      if (p.error === null) delete (next as { error?: unknown }).error;
      else if (p.error) (next as { error?: unknown }).error = p.error;
      if (p.retryAt === null) delete (next as { retryAt?: unknown }).retryAt;
      else if (p.retryAt) (next as { retryAt?: unknown }).retryAt = p.retryAt;
      return next;
    });
    return b.finish();
  }

  if (actions.poisonLine.match(action)) {
    withReflector(b, action.payload.key, (r) => ({
      ...r,
      lastPoisonLine: action.payload.text.slice(0, 200),
      counters: { ...r.counters, poisonLines: r.counters.poisonLines + 1 },
    }));
    return b.finish();
  }

  if (actions.queryAdded.match(action)) {
    const p = action.payload;
    b.setQuery({ ...p, phase: 'resolving', members: emptyTree() });
    return b.finish();
  }

  if (actions.queryBound.match(action)) {
    const q = b.queries[action.payload.id];
    if (!q) return state;
    const { error: _cleared, ...rest } = q;
    b.setQuery(
      rebuildMembers(b, {
        ...rest,
        phase: 'bound',
        groupKind: action.payload.groupKind,
        watchKey: action.payload.watchKey,
      }),
    );
    return b.finish();
  }

  if (actions.queryFailed.match(action)) {
    const q = b.queries[action.payload.id];
    if (!q) return state;
    b.setQuery({ ...q, phase: action.payload.phase, error: action.payload.error });
    return b.finish();
  }

  if (actions.queryRemoved.match(action)) {
    if (!b.queries[action.payload.id]) return state;
    b.deleteQuery(action.payload.id);
    return b.finish();
  }

  if (actions.reflectorAdded.match(action)) {
    const p = action.payload;
    if (b.reflectors[p.key]) return state;
    b.setReflector({
      ...p,
      phase: 'pending',
      synced: false,
      resourceVersion: '',
      arrival: 0,
      held: emptyTree(),
      attempt: 0,
      counters: zeroCounters,
    });
    return b.finish();
  }

  if (actions.reflectorRemoved.match(action)) {
    const r = b.reflectors[action.payload.key];
    if (!r) return state;
    b.deleteReflector(r.key);
    treeForEach(r.held, (_v, uid) => b.touch(r.groupKind, uid));
    // One watch fewer to wait for: local writes of the kind may be released, and a query left
    // on this watch must lose the ones it showed.
    for (const uid of b.pendingUids(r.groupKind)) b.touch(r.groupKind, uid);
    return b.finish();
  }

  return state;
}

/** The stored entry of a UID. */
export function entryOf(state: KatesState, uid: string): ObjectEntry | undefined {
  return treeGet(state.objects, uid);
}

export type { Tree };
