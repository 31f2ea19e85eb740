import type { KubernetesObject } from '../model/object.js';
import { compareResourceVersions } from '../resource-version.js';
import { deepFreeze } from './freeze.js';
import type { ListInProgress } from './list-in-progress.js';
import { setListOrder } from './list-order.js';
import { queryMatches } from './match.js';
import { membersStep } from './member-changes.js';
import { PendingIndex } from './pending-index.js';
import { RecordEditor } from './record-editor.js';
import { isNewerVersion, letGo, passed, shownBy } from './rules.js';
import type {
  KatesState,
  LocalWrite,
  PendingWrite,
  QueryState,
  ReflectorState,
  StoredObject,
} from './state.js';
import { localOf, objectOf, versionOf } from './stored-object.js';
import { emptyTree, type Tree, TreeEditor, treeEvery, treeForEach, treeHas, treeMap } from './tree.js';

/**
 * The draft of one action: each part of the state is copied on its first write and edited in
 * place after that; `finish()` builds the next state, or returns the same one when nothing
 * changed. Membership of the objects an action touched is re-judged once, at the end, by the rules
 * of `rules.ts`.
 */
export class Batch {
  /** The objects of each group-kind this action reads or writes: see {@link objectsOf}. */
  private readonly objectEditors = new Map<string, TreeEditor<StoredObject>>();
  readonly reflectors: RecordEditor<ReflectorState>;
  readonly queries: RecordEditor<QueryState>;
  readonly localPending: TreeEditor<PendingWrite>;
  /** UIDs whose entry in `localPending` this action added, replaced or released. */
  private readonly pendingChanged = new Set<string>();
  /** UIDs to re-judge, by group-kind. */
  private readonly touched = new Map<string, Set<string>>();
  /** Arrival sequence of this action: orders versions that cannot be compared. */
  readonly arrival: number;

  constructor(
    private readonly state: KatesState,
    private readonly freeze: boolean,
  ) {
    this.reflectors = new RecordEditor(state.reflectors);
    this.queries = new RecordEditor(state.queries);
    this.localPending = new TreeEditor(state.localPending);
    this.arrival = state.seq + 1;
  }

  /** Replaces watch `key` with `fn` of it, if it exists; returns the new state of the watch. */
  updateReflector(key: string, fn: (r: ReflectorState) => ReflectorState): ReflectorState | undefined {
    const r = this.reflectors.get(key);
    if (!r) return undefined;
    const next = fn(r);
    if (next !== r) this.reflectors.set(key, next);
    return next;
  }

  /** The watches of `groupKind`, as this action leaves them so far. */
  reflectorsOf(groupKind: string): ReflectorState[] {
    const out: ReflectorState[] = [];
    const all = this.reflectors.current;
    for (const key in all) {
      const r = all[key]!;
      if (r.groupKind === groupKind) out.push(r);
    }
    return out;
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

  /** The objects of `groupKind`, as this action leaves them so far, to read and edit. */
  objectsOf(groupKind: string): TreeEditor<StoredObject> {
    let editor = this.objectEditors.get(groupKind);
    if (!editor) {
      editor = new TreeEditor(this.state.objects[groupKind] ?? emptyTree<StoredObject>());
      this.objectEditors.set(groupKind, editor);
    }
    return editor;
  }

  /** Stores `obj` unless the store already holds a newer version of it (rule 1); returns what is stored. */
  upsertObject(obj: KubernetesObject, groupKind: string): StoredObject | undefined {
    const uid = obj.metadata?.uid;
    if (!uid) return undefined;
    const objects = this.objectsOf(groupKind);
    const held = objects.get(uid);
    if (held && !isNewerVersion(obj.metadata?.resourceVersion ?? '', versionOf(held))) return held;
    const object = this.own(obj);
    const local = localOf(held);
    const stored: StoredObject = local ? Object.freeze({ object, local }) : object;
    objects.set(uid, stored);
    return stored;
  }

  /** `obj` as the store holds it: deep-frozen, unless the store was made not to freeze. */
  own(obj: KubernetesObject): KubernetesObject {
    return this.freeze ? deepFreeze(obj) : obj;
  }

  /**
   * Keeps `stored` with `local` pending (a write, a deletion or a floor) until every watch of
   * `groupKind` has reached `local.resourceVersion`; `rejudge` releases it.
   */
  keepPending(uid: string, stored: StoredObject, groupKind: string, local: LocalWrite): void {
    this.objectsOf(groupKind).set(uid, Object.freeze({ object: objectOf(stored), local }));
    this.setLocalPending(uid, Object.freeze({ groupKind, resourceVersion: local.resourceVersion }));
  }

  /**
   * A deletion a watch has seen (rule 5): while another watch of the kind has not reached it, the
   * object is kept as a pending deletion, hidden from every query, so that neither that watch's
   * older events nor a late write response brings it back.
   *
   * API servers send a watch the same DELETED (the last state that matched, at the version of the
   * change) when the object is deleted and when it only leaves the watch's label or field
   * selectors. So the deletion is held as `seen`: an event, list item or write showing the object
   * alive at its version or later lifts it ({@link liftSeenDeletion}). `certain`: the watch has no
   * selectors, so its DELETED is the deletion itself (an object never leaves its namespace).
   *
   * A deletion the client made stays the client's, final for its UID. Only a certain event dates
   * it (its version replaces the unknown one of a `Status` answer, or a later one learnt from a
   * list): a selector's DELETED may be an earlier leave, and dating by it would release the
   * deletion before a lagging watch has passed it. Proved by `coherence.test.ts` ("keep the
   * client's deletion until a watch without selectors dates it, whatever a selector's DELETED
   * says") and the model test.
   */
  markDeleted(uid: string, resourceVersion: string, groupKind: string, by: string, certain: boolean): void {
    const stored = this.objectsOf(groupKind).get(uid);
    if (!stored) return;
    const prior = localOf(stored);
    let local: LocalWrite;
    if (prior?.deleted && !prior.seen) {
      if (!certain || prior.resourceVersion === resourceVersion) return;
      local = Object.freeze({ resourceVersion, arrival: this.arrival, deleted: true });
    } else {
      // Two watches saw it go: the later version, which every watch must pass.
      if (prior?.deleted && !isNewerVersion(resourceVersion, prior.resourceVersion)) return;
      local = Object.freeze({ resourceVersion, arrival: this.arrival, deleted: true, seen: true });
    }
    const object = objectOf(stored);
    if (!prior && this.reflectorsOf(groupKind).every((r) => r.key === by || passed(r, local, object))) return;
    this.keepPending(uid, stored, groupKind, local);
  }

  /**
   * The first list of the only watch of its kind, while the store holds nothing of the kind (the
   * bootstrap of a query): its objects, its watch's uids and its queries' members are made tree
   * from tree rather than object by object, and the members keep the list's order (`listed`, the
   * list's pages, when they hold the list's objects one for one) for their first sort
   * (`list-order.ts`). The objects were owned as their pages came (the reducer's `listPage`; a
   * checkpoint freezes what it restores). The result is what the general case gives (the
   * `listCompleted` case of the reducer; the model test compares both with the reference model): with no other watch of the kind, and nothing of the kind held
   * (so no write of it pending either: a pending write is held in its kind's tree), every object
   * of the list is new, held by this watch alone, and shown by each of its queries that matches it
   * (rules 1 and 7).
   *
   * The list's tree is the kind's objects tree as it is (objects are stored bare, `StoredObject`,
   * one tree per kind), and when every object matches the watch (the API server filtered them,
   * so always but for a server that ignores a selector) its members and its watch's uids too: one
   * tree where there were four, until events make them differ leaf by leaf, whatever else the
   * store holds (issue 18: 100k ConfigMaps held in 1,166 B an object against 1,133 for the parsed
   * objects alone; it was 1,275 with an entry per object and three trees). Proved by
   * first-list.test.ts ("shares the list's tree as its kind's objects, its watch's uids and its
   * queries' members", "shares it so beside objects of another kind").
   * @returns the watch's new uids, or undefined where this does not apply (then nothing was done).
   */
  adoptFirstList(
    r: ReflectorState,
    list: Tree<KubernetesObject>,
    listed: ListInProgress | undefined,
  ): Tree<unknown> | undefined {
    const groupKind = r.groupKind;
    const objects = this.objectsOf(groupKind);
    if (r.held.size > 0 || objects.size > 0 || this.reflectorsOf(groupKind).length !== 1) return undefined;
    objects.adopt(list);
    const shown = (obj: KubernetesObject) => queryMatches(r, obj);
    // The shown objects in list order, where the pages list the tree's values one for one. Each
    // page was judged by the watch as it came: where every object is shown, none is read again.
    let order: KubernetesObject[] | undefined;
    if (listed) {
      const every = listed.shown === listed.size;
      order = [];
      for (const { values } of listed.pages)
        for (let i = 0; i < values.length; i++) if (every || shown(values[i]!)) order.push(values[i]!);
    }
    const members = (order ? order.length === list.size : treeEvery(list, shown))
      ? list
      : treeMap(list, (obj: KubernetesObject) => (shown(obj) ? obj : undefined));
    if (listed && order) setListOrder(members, order, listed.sorted);
    const queries = this.queries.current;
    for (const id in queries) {
      const q = queries[id]!;
      // Its members hold nothing now: nothing of the kind is held or pending.
      if (q.watchKey === r.key && q.groupKind === groupKind && q.members !== members)
        this.queries.set(id, { ...q, members });
    }
    // The watch's uids are the list's keys; what a watch's tree holds under them is never read.
    return list;
  }

  /**
   * Whether the store holds `uid` alive at `resourceVersion` or later: then a DELETED event at that
   * version says the object left a watch's selectors, not that it is gone.
   */
  aliveAt(groupKind: string, uid: string, resourceVersion: string | undefined): boolean {
    const stored = this.objectsOf(groupKind).get(uid);
    if (!stored || localOf(stored)?.deleted || !resourceVersion) return false;
    const held = versionOf(stored);
    if (!held) return false;
    const c = compareResourceVersions(held, resourceVersion);
    return c !== undefined && c >= 0;
  }

  /**
   * A watch or a list shows `obj` alive at its version: a deletion a watch saw at that version or
   * before was the object leaving that watch's selectors, and is lifted.
   */
  liftSeenDeletion(obj: KubernetesObject, groupKind: string): void {
    // Called for every event: a seen deletion is always pending, so with nothing pending (the
    // common case) there is nothing to look up.
    if (this.localPending.size === 0) return;
    const uid = obj.metadata?.uid;
    const local = uid ? localOf(this.objectsOf(groupKind).get(uid)) : undefined;
    if (!uid || !local?.deleted || !local.seen || !local.resourceVersion) return;
    const c = compareResourceVersions(obj.metadata?.resourceVersion, local.resourceVersion);
    if (c === undefined || c < 0) return;
    // The entry's state came from the DELETED event (the last state that matched), possibly under
    // this very version: the live state replaces it.
    this.objectsOf(groupKind).set(uid, this.own(obj));
    this.setLocalPending(uid, undefined);
    this.touch(groupKind, uid);
  }

  /** Builds a query's members from scratch: when it binds to a watch that may already hold objects. */
  rebuildMembers(q: QueryState): QueryState {
    const r = q.watchKey ? this.reflectors.get(q.watchKey) : undefined;
    const members = new TreeEditor(emptyTree<KubernetesObject>());
    if (r) {
      const objects = this.objectsOf(r.groupKind);
      treeForEach(r.held, (_v, uid) => {
        const obj = shownBy(r, objects.get(uid), uid);
        if (obj) members.set(uid, obj);
      });
      for (const uid of this.pendingUids(q.groupKind ?? '')) {
        const obj = shownBy(r, objects.get(uid), uid);
        if (obj) members.set(uid, obj);
      }
    }
    return { ...q, members: members.finish() };
  }

  finish(): KatesState {
    for (const [groupKind, uids] of this.touched) this.rejudge(groupKind, uids);
    const objects = this.finishObjects();
    if (
      objects === this.state.objects &&
      !this.reflectors.changed &&
      !this.queries.changed &&
      !this.localPending.changed
    )
      return this.state;
    const localPending = this.localPending.finish();
    if (localPending !== this.state.localPending) {
      PendingIndex.derive(this.state.localPending, localPending, this.pendingChanged);
    }
    return {
      objects,
      reflectors: this.reflectors.finish(),
      queries: this.queries.finish(),
      localPending,
      seq: this.arrival,
    };
  }

  /** The objects record: the state's own when no kind's tree changed; a kind left empty has no tree. */
  private finishObjects(): KatesState['objects'] {
    const record = new RecordEditor(this.state.objects);
    for (const [groupKind, editor] of this.objectEditors) {
      const tree = editor.finish();
      if (tree === (this.state.objects[groupKind] ?? emptyTree<StoredObject>())) continue;
      if (tree.size === 0) record.delete(groupKind);
      else record.set(groupKind, tree);
    }
    return record.finish();
  }

  private setLocalPending(uid: string, pending: PendingWrite | undefined): void {
    if (pending === undefined) this.localPending.delete(uid);
    else this.localPending.set(uid, pending);
    this.pendingChanged.add(uid);
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
    const objects = this.objectsOf(groupKind);
    // The watches this action changed, with their state before it.
    const moved: [before: ReflectorState | undefined, after: ReflectorState][] = [];
    for (const r of reflectors) {
      const before = this.state.reflectors[r.key];
      if (r !== before) moved.push([before, r]);
    }
    for (const uid of this.pendingCandidates(groupKind, moved, uids)) {
      if (this.localPending.get(uid)?.groupKind !== groupKind) continue;
      const stored = objects.get(uid);
      const local = localOf(stored);
      if (!local) {
        this.setLocalPending(uid, undefined);
        uids.add(uid);
        continue;
      }
      const object = objectOf(stored!);
      if (reflectors.every((r) => passed(r, local, object))) {
        objects.set(uid, object);
        this.setLocalPending(uid, undefined);
        uids.add(uid);
      } else if (
        moved.some(([before, r]) => !before || passed(before, local, object) !== passed(r, local, object))
      ) {
        // Not released (another watch lags), but a watch that has just passed the write (or gone
        // back before it, after a lagging list) now decides alone whether its queries show it.
        uids.add(uid);
      }
    }
    for (const uid of uids) {
      const stored = objects.get(uid);
      if (!stored) continue;
      const local = localOf(stored);
      const object = objectOf(stored);
      if (!local && !reflectors.some((r) => treeHas(r.held, uid))) {
        const floor = letGo(object, reflectors, this.arrival);
        if (floor) this.keepPending(uid, stored, groupKind, floor);
        else objects.delete(uid);
      } else if (
        local?.deleted &&
        !reflectors.some((r) => treeHas(r.held, uid) || !passed(r, local, object))
      ) {
        objects.delete(uid);
        this.setLocalPending(uid, undefined);
      }
    }
    const queries = this.queries.current;
    for (const id in queries) {
      const q = queries[id]!;
      if (q.groupKind !== groupKind || !q.watchKey) continue;
      // A query whose watch was removed under it shows nothing: the store may drop its objects.
      const r = this.reflectors.get(q.watchKey);
      const members = new TreeEditor(q.members);
      for (const uid of uids) {
        const obj = r && shownBy(r, objects.get(uid), uid);
        if (obj) members.set(uid, obj);
        else members.delete(uid);
      }
      if (members.changed) {
        // Noted beside the tree, so that update() finds what changed without walking the trees.
        const next = members.finish(membersStep(q.members, uids));
        if (next !== q.members) this.queries.set(id, { ...q, members: next });
      }
    }
  }
}
