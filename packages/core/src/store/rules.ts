import type { KubernetesObject } from '../model/object.js';
import { compareResourceVersions } from '../resource-version.js';
import { queryMatches } from './match.js';
import type { LocalWrite, ReflectorState, StoredObject } from './state.js';
import { localOf, objectOf, versionOf } from './stored-object.js';
import { treeHas } from './tree.js';

/**
 * The rules of the store: what a snapshot shows, given what the watches delivered and what the
 * client wrote. Each rule is one pure function below, and names the test that proves it; the
 * reducer ({@link ./reducer.ts}) applies them, and the plain reference model the property test
 * compares the store with (`__fixtures__/reference-store.ts`) restates them without the speed.
 *
 * 1. Held once, never regressed. An object is held once, by UID, in the newest version any watch
 *    or write brought; an older version never replaces it, an equal one keeps the held object (and
 *    so its identity in snapshots). {@link isNewerVersion}
 * 2. A watch's own order. A watch ignores events at or below the version it has reached: they are
 *    duplicates or replays it already accounted for. {@link isReplay}
 * 3. A relist is atomic: readers see the previous complete list until the new one completes;
 *    then objects missing from it leave the watch (the `listCompleted` case of the reducer;
 *    `relist.test.ts`).
 * 4. Read your writes. A write through the client shows at once in every query whose watch
 *    matches it, and stays until every watch of its kind has reached its version. Here and in
 *    rules 5 and 6, a watch of another namespace than the object's has passed every version of
 *    it: it can never deliver it. {@link passed}
 *    {@link judgeLocalWrite}, {@link reached}, {@link shownBy}
 * 5. A deletion is final for its UID (UIDs are never reused). A delete through the client, or a
 *    DELETED event of an object that still matches its watch, hides the object from every query
 *    until every watch of the kind has passed the deletion; any write of that UID answered later
 *    was made before it and is ignored. A delete answered with a `Status` has no version: it
 *    waits for one, from the DELETED of a watch without selectors or the client's consistent list
 *    (`deletionVersion`), and no watch reaches it before. API servers send the same DELETED (the
 *    last state that matched, at the change's version) when an object only leaves a watch's
 *    selectors: such a deletion is only `seen`, and lifted by any event, list item or write that
 *    shows the object alive at its version or later; a DELETED at a version the store already
 *    holds the object alive at is a leave. {@link isFinalDeletion}, {@link judgeLocalWrite},
 *    {@link reached}, `Batch.markDeleted`, `Batch.liftSeenDeletion`
 * 6. No going back. An object no watch holds any more is kept, hidden, at its version while some
 *    watch of the kind has not reached it (a floor), so that a lagging watch's older events cannot
 *    show an older version than one already shown. {@link letGo}
 * 7. Membership is judged by the watch, not the query: they share selectors, and the watch of a
 *    cluster-scoped kind has no namespace even when its query names one. {@link shownBy}
 *
 * Arrival order, where versions cannot be compared, remains in three places, all safe on servers
 * built on etcd (whose versions are decimal integers, so these fall-backs never run there):
 * {@link isNewerVersion} and {@link reached} order versions that are not integers by arrival (a
 * server without etcd revisions: the later arrival is the newer, as nothing better is known), and
 * {@link isReplay} lets an event through when its version cannot be compared (a watch delivers in
 * the server's order). A write result without a version is never ordered by arrival: a delete's
 * waits for its version (rule 5), any other is ignored and its watch delivers it.
 */

/**
 * Rule 1: whether `candidate` replaces the held version: newer by value, or later by arrival when
 * the two cannot be compared. Proved by `watch-events.test.ts` ('ignores an older version that
 * arrives after a newer one from another watch', 'keeps the held object (and its identity) on a
 * duplicate event', 'orders versions that are not integers by arrival').
 */
export function isNewerVersion(candidate: string, held: string): boolean {
  const c = compareResourceVersions(candidate, held);
  return c === undefined || c > 0;
}

/**
 * Rule 2: whether an event at `eventVersion` is one watch `r` has already passed. Proved by
 * `watch-events.test.ts` ('does not bring back an object its watch deleted when a stale event of
 * it is replayed', 'never moves a watch back to an older resourceVersion').
 */
export function isReplay(eventVersion: string | undefined, watchVersion: string): boolean {
  const c = compareResourceVersions(eventVersion, watchVersion);
  return c !== undefined && c <= 0;
}

/**
 * Rule 5: whether a DELETED event may say the object is gone: not when its object no longer matches
 * the watch (it left the selectors; a server that sends the new state on a leave). kube-apiserver
 * and the fake send the last state that matched, which always matches: for them a leave is told
 * from a deletion later, by the object showing alive (`Batch.liftSeenDeletion`). Proved by
 * `coherence.test.ts` ('hide an object from every query once one watch has seen it deleted',
 * "treat a DELETED of an object that left a watch's selector as leaving, not as a deletion", 'treat
 * a DELETED carrying the last state that matched ... as leaving').
 */
export function isFinalDeletion(r: ReflectorState, object: KubernetesObject): boolean {
  return !!object.metadata?.resourceVersion && queryMatches(r, object);
}

/**
 * Rules 4 and 5: whether watch `r` has passed a local write (or deletion, or floor). Versions that
 * cannot be compared fall back to arrival; a deletion whose version is not known yet is passed by
 * no watch, since by arrival a lagging watch's next event would rank after it. Proved by
 * `coherence.test.ts` ('is kept until every watch of its kind reaches its resourceVersion, never
 * earlier'; 'hides the object at once, and a lagging watch cannot bring it back before its DELETED').
 */
export function reached(r: ReflectorState, local: LocalWrite): boolean {
  if (!local.resourceVersion) return false;
  const c = compareResourceVersions(r.resourceVersion, local.resourceVersion);
  return c === undefined ? r.arrival > local.arrival : c >= 0;
}

/**
 * Rules 4 to 6: whether watch `r` no longer stands in the way of `local` for `object`: it has
 * reached its version, or it watches another namespace and so can never deliver the object (an
 * object never changes namespace). Without the second part, a write, a deletion or a floor waited
 * for every watch of its kind, and a quiet watch of another namespace (no events, and no bookmarks
 * where the watch cache is off) kept it pending for good: a deletion's entry was never let go.
 * Proved by `coherence.test.ts` ('lets go of a deletion once the watches that can hold the object
 * pass it, whatever a quiet watch of another namespace has reached') and the model test, whose
 * third watch is of another namespace.
 */
export function passed(r: ReflectorState, local: LocalWrite, object: KubernetesObject): boolean {
  return (!!r.namespace && r.namespace !== object.metadata?.namespace) || reached(r, local);
}

/** What the store does with a write result through the client (see {@link judgeLocalWrite}). */
export type LocalWriteJudgement =
  /** Nothing: no watch of the kind, older than what is held, already passed, or after a deletion. */
  | 'ignore'
  /** A second answer to a deletion gives the version the first lacked. */
  | 'date-deletion'
  /** Keep it pending: shown (or, for a delete, hidden) until every watch has passed it. */
  | 'keep';

/**
 * Rules 4 and 5: the fate of a write result `object` (its version `''` when none, as in a
 * delete's `Status` answer) for an object the store holds as `held`. Proved by `coherence.test.ts`
 * ('is ignored when it is older than what the store holds (a late response)', 'ignores a write
 * response of that uid that arrives after it', 'is dropped when no watch of its kind exists') and
 * by the model test.
 */
export function judgeLocalWrite(
  held: StoredObject | undefined,
  object: KubernetesObject,
  deleted: boolean,
  watches: readonly ReflectorState[],
  arrival: number,
): LocalWriteJudgement {
  const resourceVersion = object.metadata?.resourceVersion ?? '';
  if (watches.length === 0) return 'ignore';
  const heldLocal = localOf(held);
  if (heldLocal?.deleted) {
    // The client's own deletion replaces one a watch only saw (which may have been a leave).
    if (deleted && heldLocal.seen) return 'keep';
    // Final for its UID: any write answered later was made before the deletion.
    return deleted && resourceVersion && !heldLocal.resourceVersion ? 'date-deletion' : 'ignore';
  }
  if (deleted) return 'keep';
  // A write that cannot be ordered against the watches: its watch delivers it.
  if (!resourceVersion) return 'ignore';
  if (held) {
    const c = compareResourceVersions(resourceVersion, versionOf(held));
    if (c !== undefined && c < 0) return 'ignore';
  }
  const local: LocalWrite = { resourceVersion, arrival, deleted };
  return watches.every((r) => passed(r, local, object)) ? 'ignore' : 'keep';
}

/**
 * Rules 4, 5 and 7: the object the queries of watch `r` show for `uid`, or undefined. Shown when
 * it matches the watch and the watch holds it, or when a local write of it is newer than what the
 * watch has reached; never while a deletion of it is pending. Proved by `coherence.test.ts` ('does
 * not join a query whose namespace it does not match', 'hides the object from every query until
 * the watches confirm it') and `match.test.ts` ('ignores the namespace of a query of a
 * cluster-scoped kind, as its watch does').
 */
export function shownBy(
  r: ReflectorState,
  stored: StoredObject | undefined,
  uid: string,
): KubernetesObject | undefined {
  if (!stored) return undefined;
  const local = localOf(stored);
  if (local?.deleted) return undefined;
  const object = objectOf(stored);
  if (!queryMatches(r, object)) return undefined;
  if (treeHas(r.held, uid) || (local && !local.floor && !reached(r, local))) return object;
  return undefined;
}

/**
 * Rule 6: what becomes of an object no watch holds and no write keeps: dropped (`undefined`) once
 * every watch of its kind has reached its version, else kept hidden at that version as a floor.
 * The floor's arrival is `arrival`, the action's that lets go: where versions cannot be compared,
 * a watch passes it with its next version (the store keeps no arrival per object; issue 18).
 * Proved by `coherence.test.ts` ('never show an older version of an object than one already
 * shown, when the watch that held it lets go first') and `normalization.test.ts` ('drops an
 * object when no watch holds it any more').
 */
export function letGo(
  object: KubernetesObject,
  watches: readonly ReflectorState[],
  arrival: number,
): LocalWrite | undefined {
  const resourceVersion = object.metadata?.resourceVersion;
  if (!resourceVersion) return undefined;
  const floor: LocalWrite = Object.freeze({ resourceVersion, arrival, deleted: false, floor: true });
  return watches.every((r) => passed(r, floor, object)) ? undefined : floor;
}
