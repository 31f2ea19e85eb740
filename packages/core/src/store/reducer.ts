import type { Action } from '@reduxjs/toolkit';
import * as actions from './actions.js';
import { Batch } from './batch.js';
import { EMPTY_LIST, listTree, withPage } from './list-in-progress.js';
import { isFinalDeletion, isReplay, judgeLocalWrite } from './rules.js';
import type { KatesState, LocalWrite, PendingWrite, ReflectorCounters, ReflectorState } from './state.js';
import { localOf } from './stored-object.js';
import { emptyTree, TreeEditor, treeForEach, treeHas } from './tree.js';

/**
 * The kates reducer: one short case per action, in the table at the end. Each case edits a
 * {@link Batch} (copy-on-write drafts of the state) and the batch re-judges what the action
 * touched by the rules of `rules.ts`, where the rules are written out and each names its test.
 */

const zeroCounters: ReflectorCounters = Object.freeze({
  events: 0,
  bookmarks: 0,
  relists: 0,
  reconnects: 0,
  poisonLines: 0,
});

/** The initial kates state. */
export const initialKatesState: KatesState = Object.freeze({
  objects: Object.freeze({}),
  reflectors: Object.freeze({}),
  queries: Object.freeze({}),
  // Typed here: inferred through Object.freeze, an incremental `tsc -b` once took it as Tree<unknown>.
  localPending: emptyTree<PendingWrite>(),
  seq: 0,
});

/** One action's work on the batch, given the action creator `C`'s payload. */
type Case<C extends (...args: never[]) => { payload: unknown }> = (
  b: Batch,
  payload: ReturnType<C>['payload'],
) => void;

/** A batch of one watch's events, in order; rules 1, 2 and 5. */
const watchEvents: Case<typeof actions.watchEvents> = (b, { key, events }) => {
  const r0 = b.reflectors.get(key);
  if (!r0) return;
  const held = new TreeEditor(r0.held);
  // Without selectors a watch's DELETED is a deletion; with them it may be a leave (markDeleted).
  const certain = !r0.labelSelector && !r0.fieldSelector;
  let resourceVersion = r0.resourceVersion;
  let count = 0;
  let bookmarks = 0;
  for (const ev of events) {
    const evRv = ev.object.metadata?.resourceVersion;
    const replay = isReplay(evRv, resourceVersion);
    if (ev.type === 'BOOKMARK') bookmarks++;
    else {
      const uid = ev.object.metadata?.uid;
      if (!uid) continue;
      count++;
      if (replay) continue;
      if (ev.type === 'DELETED') {
        held.delete(uid);
        // API servers send the last state that matched, at the version of the change, both when
        // the object is deleted and when it only leaves the watch's selectors. When the store
        // holds the object alive at that version or later, it left: the event's state is older
        // than the one held under the same version, and no deletion is marked.
        if (!b.aliveAt(r0.groupKind, uid, evRv)) {
          b.upsertObject(ev.object, r0.groupKind);
          if (isFinalDeletion(r0, ev.object)) b.markDeleted(uid, evRv!, r0.groupKind, r0.key, certain);
        }
      } else {
        b.liftSeenDeletion(ev.object, r0.groupKind);
        b.upsertObject(ev.object, r0.groupKind);
        held.set(uid, true);
      }
      b.touch(r0.groupKind, uid);
    }
    if (evRv && !replay) resourceVersion = evRv;
  }
  const advanced = resourceVersion !== r0.resourceVersion;
  // One spread, then assignments: a conditional spread of a small literal costs an object and a
  // second copy in the interpreter, where a watch event's reducer runs when events are rare.
  const next: { -readonly [K in keyof ReflectorState]: ReflectorState[K] } = { ...r0 };
  if (advanced) {
    next.resourceVersion = resourceVersion;
    next.arrival = b.arrival;
  }
  next.held = held.finish();
  next.counters = {
    ...r0.counters,
    events: r0.counters.events + count,
    bookmarks: r0.counters.bookmarks + bookmarks,
  };
  b.reflectors.set(key, next);
  // A bookmark alone can release local writes: the watch has reached their version.
  if (advanced) b.touch(r0.groupKind);
};

/** The result of a write through the client; rules 4 and 5. */
const localWrite: Case<typeof actions.localWrite> = (b, { groupKind, object, deleted }) => {
  const uid = object.metadata?.uid;
  if (!uid) return;
  const rv = object.metadata?.resourceVersion ?? '';
  // A write answered at or after a deletion a watch saw proves the object alive: it only left.
  if (!deleted && rv) b.liftSeenDeletion(object, groupKind);
  const held = b.objectsOf(groupKind).get(uid);
  const judged = judgeLocalWrite(held, object, deleted, b.reflectorsOf(groupKind), b.arrival);
  if (judged === 'ignore') return;
  const local: LocalWrite = Object.freeze({ resourceVersion: rv, arrival: b.arrival, deleted });
  // A deletion of a UID the store has no object of: its reference stands in, never shown.
  const stored =
    judged === 'date-deletion' ? held! : rv ? b.upsertObject(object, groupKind)! : (held ?? b.own(object));
  b.keepPending(uid, stored, groupKind, local);
  b.touch(groupKind, uid);
};

/** A consistent list's version for deletes answered with a Status; rule 5. */
const deletionVersion: Case<typeof actions.deletionVersion> = (b, { groupKind, uids, resourceVersion }) => {
  for (const uid of uids) {
    const stored = b.objectsOf(groupKind).get(uid);
    const local = localOf(stored);
    if (!local?.deleted || local.resourceVersion) continue;
    b.keepPending(
      uid,
      stored!,
      groupKind,
      Object.freeze({ resourceVersion, arrival: b.arrival, deleted: true }),
    );
    b.touch(groupKind, uid);
  }
};

/** A list starts; readers see the previous complete state until it completes (rule 3). */
const listStarted: Case<typeof actions.listStarted> = (b, { key }) => {
  b.updateReflector(key, (r) => ({ ...r, relist: EMPTY_LIST, phase: r.synced ? 'relisting' : 'listing' }));
};

const listPage: Case<typeof actions.listPage> = (b, { key, items }) => {
  // Owned (deep-frozen, outside production) as the page comes, while its objects are in the caches
  // and the next page is on its way; `listCompleted` then finds them frozen (list-in-progress.ts).
  for (let i = 0; i < items.length; i++) b.own(items[i]!);
  b.updateReflector(key, (r) => ({ ...r, relist: withPage(r.relist ?? EMPTY_LIST, items, r) }));
};

/** The list completes: it replaces what the watch held, atomically (rule 3). */
const listCompleted: Case<typeof actions.listCompleted> = (b, { key, resourceVersion }) => {
  const r = b.reflectors.get(key);
  if (!r) return;
  const list = r.relist ?? EMPTY_LIST;
  const { tree: items, distinct } = listTree(list);
  // A query's bootstrap, in bulk; the same result as the general case below. The pages give the
  // list's order while each object brought a uid of its own.
  let held = b.adoptFirstList(r, items, distinct ? list : undefined);
  if (!held) {
    const editor = new TreeEditor(emptyTree<true>());
    treeForEach(items, (obj, uid) => {
      b.liftSeenDeletion(obj, r.groupKind);
      b.upsertObject(obj, r.groupKind);
      editor.set(uid, true);
      b.touch(r.groupKind, uid);
    });
    // Objects missing from the new list are gone: their last known state leaves with them.
    treeForEach(r.held, (_v, uid) => {
      if (!treeHas(items, uid)) b.touch(r.groupKind, uid);
    });
    held = editor.finish();
  }
  // The watch has reached the list's version: local writes it has passed may be released.
  b.touch(r.groupKind);
  const { relist: _done, ...rest } = r;
  b.reflectors.set(key, {
    ...rest,
    held,
    synced: true,
    phase: 'watching',
    resourceVersion,
    arrival: b.arrival,
    counters: r.synced ? { ...r.counters, relists: r.counters.relists + 1 } : r.counters,
  });
};

const reflectorStatus: Case<typeof actions.reflectorStatus> = (b, p) => {
  b.updateReflector(p.key, (r) => {
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
};

const poisonLine: Case<typeof actions.poisonLine> = (b, { key, text }) => {
  b.updateReflector(key, (r) => ({
    ...r,
    lastPoisonLine: text.slice(0, 200),
    counters: { ...r.counters, poisonLines: r.counters.poisonLines + 1 },
  }));
};

const queryAdded: Case<typeof actions.queryAdded> = (b, p) => {
  b.queries.set(p.id, { ...p, phase: 'resolving', members: emptyTree() });
};

const queryBound: Case<typeof actions.queryBound> = (b, { id, groupKind, watchKey }) => {
  const q = b.queries.get(id);
  if (!q) return;
  const { error: _cleared, ...rest } = q;
  b.queries.set(id, b.rebuildMembers({ ...rest, phase: 'bound', groupKind, watchKey }));
};

const queryFailed: Case<typeof actions.queryFailed> = (b, { id, phase, error }) => {
  const q = b.queries.get(id);
  if (q) b.queries.set(id, { ...q, phase, error });
};

const queryRemoved: Case<typeof actions.queryRemoved> = (b, { id }) => {
  b.queries.delete(id);
};

const reflectorAdded: Case<typeof actions.reflectorAdded> = (b, p) => {
  if (b.reflectors.get(p.key)) return;
  b.reflectors.set(p.key, {
    ...p,
    phase: 'pending',
    synced: false,
    resourceVersion: '',
    arrival: 0,
    held: emptyTree(),
    attempt: 0,
    counters: zeroCounters,
  });
};

const reflectorRemoved: Case<typeof actions.reflectorRemoved> = (b, { key }) => {
  const r = b.reflectors.get(key);
  if (!r) return;
  b.reflectors.delete(key);
  treeForEach(r.held, (_v, uid) => b.touch(r.groupKind, uid));
  // One watch fewer to wait for: local writes of the kind may be released, and a query left on
  // this watch must lose the ones it showed.
  for (const uid of b.pendingUids(r.groupKind)) b.touch(r.groupKind, uid);
};

/** Every action the store takes, by type. */
const cases: Readonly<Record<string, (b: Batch, payload: never) => void>> = {
  [actions.watchEvents.type]: watchEvents,
  [actions.localWrite.type]: localWrite,
  [actions.deletionVersion.type]: deletionVersion,
  [actions.listStarted.type]: listStarted,
  [actions.listPage.type]: listPage,
  [actions.listCompleted.type]: listCompleted,
  [actions.reflectorStatus.type]: reflectorStatus,
  [actions.poisonLine.type]: poisonLine,
  [actions.queryAdded.type]: queryAdded,
  [actions.queryBound.type]: queryBound,
  [actions.queryFailed.type]: queryFailed,
  [actions.queryRemoved.type]: queryRemoved,
  [actions.reflectorAdded.type]: reflectorAdded,
  [actions.reflectorRemoved.type]: reflectorRemoved,
};

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
  return (state: KatesState = initialKatesState, action: Action): KatesState => {
    const handle = cases[action.type] as ((b: Batch, payload: unknown) => void) | undefined;
    if (!handle) return state;
    const b = new Batch(state, freeze);
    handle(b, (action as Action & { payload: unknown }).payload);
    return b.finish();
  };
}

/** The kates reducer, freezing objects as {@link freezeByDefault} says. */
export const katesReducer = createKatesReducer();
