import type { KubernetesObject } from '../model/object.js';
import { changesFrom } from '../store/incremental-items.js';
import { diffMembers, type MemberChanges, memberChanges } from '../store/member-changes.js';
import { freezeSorted } from '../store/sorted-items.js';
import type { KatesRootState } from '../store/store.js';
import { emptyTree, type Tree } from '../store/tree.js';
import type { Delta } from './delta.js';
import type { QueryBindings } from './query-bindings.js';
import { rootSelectors } from './root-selectors.js';

/** What one snapshot object was last filled with, per field (query name). */
interface FieldRecord {
  /** The query's members when the field was last filled: deltas are the diff from them. */
  members: Tree<KubernetesObject>;
  /** The sorted items it was filled from, and what it was set to (fewer, when filtered). */
  source: readonly KubernetesObject[];
  items: readonly KubernetesObject[];
  /** UIDs a filteredUpdate predicate left out of this field. */
  excluded: Set<string>;
}

/**
 * Fills snapshot objects (`update`, `updateWithDeltas`, `filteredUpdate`). Each snapshot object
 * is tracked on its own, so that its deltas and its `changed` answer are about what it last showed;
 * a field that did not change keeps its identity.
 */
export class SnapshotFiller {
  /** Held weakly: a snapshot the consumer drops costs nothing here. */
  private readonly records = new WeakMap<object, Map<string, FieldRecord>>();
  /** Each cursor of `readDeltas`: the members of each query when it last read them. */
  private readonly cursors = new WeakMap<object, Map<string, Tree<KubernetesObject>>>();

  constructor(private readonly bindings: QueryBindings) {}

  /**
   * Sets each field of `snapshot` named after a query to its newest sorted items, without the
   * objects `predicate` rejects, and fills `deltas` (when given) with the changes since this
   * snapshot was last filled. `members` are the queries' members in `state` (`bindings.members`).
   * @returns whether any field changed since then (true the first time).
   */
  fill(
    state: KatesRootState,
    members: readonly Tree<KubernetesObject>[],
    snapshot: object,
    deltas: Delta[] | undefined,
    predicate: ((obj: KubernetesObject) => boolean) | undefined,
  ): boolean {
    if (deltas) deltas.length = 0;
    let fields = this.records.get(snapshot);
    let changed = !fields;
    if (!fields) {
      fields = new Map();
      this.records.set(snapshot, fields);
    }
    // An indexed loop, not `forEach` with a closure: this runs a few times a second, unoptimized.
    const { specs, ids } = this.bindings;
    for (let i = 0; i < specs.length; i++) {
      const name = specs[i]!.name;
      let field = fields.get(name);
      if (!field) {
        field = { members: emptyTree(), source: [], items: [], excluded: new Set() };
        fields.set(name, field);
      }
      const now = members[i]!;
      // The items first: their patch diffs the members, and the deltas reuse that diff when it is
      // the one from what this field last showed (`changesFrom`).
      const select = rootSelectors.selectQueryItems(ids[i]!);
      const source = select(state);
      // Exclusions belong to this snapshot and this field; an update without a predicate has none.
      let exclusionsChanged = false;
      if (!predicate && field.excluded.size > 0) {
        field.excluded.clear();
        exclusionsChanged = true;
      }
      if ((deltas || predicate) && field.members !== now) {
        const changes = changesFrom(select, field.members, now) ?? memberChanges(field.members, now);
        if (judge(name, field, changes, deltas, predicate)) exclusionsChanged = true;
      }
      // Filtering is O(n): done again only when the field or its exclusions changed, so that an
      // unchanged field keeps its identity.
      const items =
        field.excluded.size === 0
          ? source
          : source === field.source && !exclusionsChanged
            ? field.items
            : freezeSorted(source.filter((o) => !field.excluded.has(o.metadata?.uid ?? '')));
      if (items !== field.items) changed = true;
      field.members = now;
      field.source = source;
      field.items = items;
      (snapshot as Record<string, unknown>)[name] = items;
    }
    return changed;
  }

  /**
   * Sets `deltas` to the changes of every query since `cursor` last read them, and fills no
   * field: a diff of persistent member trees, O(changes).
   * @returns whether anything changed (true the first time).
   */
  readDeltas(state: KatesRootState, cursor: object, deltas: Delta[]): boolean {
    deltas.length = 0;
    let seen = this.cursors.get(cursor);
    const first = !seen;
    if (!seen) {
      seen = new Map();
      this.cursors.set(cursor, seen);
    }
    const members = this.bindings.members(state);
    this.bindings.specs.forEach((spec, i) => {
      const now = members[i]!;
      diffMembers(seen.get(spec.name) ?? emptyTree(), now, (uid, was, is) => {
        deltas.push(deltaOf(spec.name, uid, was, is));
      });
      seen.set(spec.name, now);
    });
    return first || deltas.length > 0;
  }
}

/**
 * Walks what changed in one field since it was filled: pushes a delta per object, and updates the
 * field's exclusions with the predicate (called on added and updated objects only, as in Go kates).
 * @returns whether the exclusions changed.
 */
function judge(
  query: string,
  field: FieldRecord,
  changes: MemberChanges,
  deltas: Delta[] | undefined,
  predicate: ((obj: KubernetesObject) => boolean) | undefined,
): boolean {
  const excluded = field.excluded;
  let exclusionsChanged = false;
  for (let k = 0; k < changes.uids.length; k++) {
    const uid = changes.uids[k]!;
    const is = changes.after[k];
    if (predicate) {
      const out = is !== undefined && !predicate(is);
      if (out !== excluded.has(uid)) {
        if (out) excluded.add(uid);
        else excluded.delete(uid);
        exclusionsChanged = true;
      }
    }
    if (deltas) deltas.push(deltaOf(query, uid, changes.before[k], is));
  }
  return exclusionsChanged;
}

/**
 * The delta of one object that differs between two fills (`was` before, `is` now, either absent),
 * its optional fields set only when present. Assignments rather than conditional
 * spreads: this runs in `update()`, which a controller calls a few times a second, so it is never
 * optimized, and each spread of a small literal costs there.
 */
function deltaOf(
  query: string,
  uid: string,
  was: KubernetesObject | undefined,
  is: KubernetesObject | undefined,
): Delta {
  const obj = (is ?? was)!;
  const d: { -readonly [K in keyof Delta]?: Delta[K] } = {
    type: !was ? 'add' : !is ? 'delete' : 'update',
    query,
  };
  if (obj.apiVersion) d.apiVersion = obj.apiVersion;
  if (obj.kind) d.kind = obj.kind;
  d.name = obj.metadata?.name ?? '';
  if (obj.metadata?.namespace) d.namespace = obj.metadata.namespace;
  d.uid = uid;
  d.object = obj;
  return d as Delta;
}
