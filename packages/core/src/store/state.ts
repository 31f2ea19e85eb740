import type { KubernetesObject } from '../model/object.js';
import type { ListInProgress } from './list-in-progress.js';
import type { Tree } from './tree.js';

/** Why a query or a watch is not (or no longer) delivering: plain data, kept in the store. */
export interface ErrorInfo {
  readonly message: string;
  /** HTTP status, when the API server answered. */
  readonly code?: number;
  /** Kubernetes `reason` (`Forbidden`, `Gone`, `NotFound`, ...) or a transport reason. */
  readonly reason?: string;
  /** ISO time it happened. */
  readonly at: string;
}

/**
 * Where a reflector is in its life. `listing` is the first list; `relisting` lists again after a
 * 410 Gone (readers still see the previous complete state); `backing-off` waits before re-watching.
 */
export type ReflectorPhase =
  | 'pending'
  | 'listing'
  | 'watching'
  | 'backing-off'
  | 'relisting'
  | 'forbidden'
  | 'unserved'
  | 'closed';

/** Counters of one watch, for dashboards and tests. */
export interface ReflectorCounters {
  readonly events: number;
  readonly bookmarks: number;
  readonly relists: number;
  readonly reconnects: number;
  readonly poisonLines: number;
}

/** One list+watch of a kind, namespace and selectors, shared by every query that asks for exactly that. */
export interface ReflectorState {
  readonly key: string;
  readonly groupKind: string;
  readonly apiVersion: string;
  readonly resource: string;
  readonly namespace?: string;
  readonly labelSelector: string;
  readonly fieldSelector: string;
  readonly phase: ReflectorPhase;
  /** Completed an initial list at least once. */
  readonly synced: boolean;
  /** The last resourceVersion this watch reached (list, event or bookmark). */
  readonly resourceVersion: string;
  /** Arrival sequence of that resourceVersion, to order versions that are not integers. */
  readonly arrival: number;
  /**
   * UIDs this watch currently holds, as keys. The values are never read: a watch's first list
   * shares its tree with the queries' members (`Batch.adoptFirstList`), and events write `true`.
   * So a value may be a state of the object the store no longer shows (after a local write), kept
   * until this watch's next event of the object: the memory of one object, for a watch's lag.
   */
  readonly held: Tree<unknown>;
  /** A list in progress: the previous complete state stays visible until it completes. */
  readonly relist?: ListInProgress;
  readonly error?: ErrorInfo;
  /** Failed attempts in a row (resets on success). */
  readonly attempt: number;
  /** When a backing-off watch retries, ISO time. */
  readonly retryAt?: string;
  readonly counters: ReflectorCounters;
  /** The last poison line, cut short. */
  readonly lastPoisonLine?: string;
}

/** A write made through the client, shown before the watch confirms it. */
export interface LocalWrite {
  readonly resourceVersion: string;
  readonly arrival: number;
  /** A delete: hides the object until the watches confirm it. */
  readonly deleted: boolean;
  /**
   * Not a write: the version the store held when no watch held the object any more, kept hidden
   * until every watch has passed it, so that a lagging watch's older events cannot show an older
   * version than one already shown.
   */
  readonly floor?: boolean;
  /**
   * A deletion a watch's DELETED event told of, not one the client made. The API server sends the
   * same DELETED (the last state that matched, at the new version) when an object leaves a watch's
   * selectors, so any event or list showing the object at this version or later lifts it.
   */
  readonly seen?: boolean;
}

/**
 * An object the store holds while a write, a deletion or a floor of it is pending (see
 * {@link StoredObject}).
 */
export interface ObjectEntry {
  /** The newest state known from any watch or write (deep-frozen, unless the store was made not to freeze). */
  readonly object: KubernetesObject;
  /** What is pending, until every watch of the kind has passed it. */
  readonly local: LocalWrite;
}

/**
 * What the store holds for one UID, once whatever the number of queries that show it: the object
 * itself (deep-frozen, unless the store was made not to freeze), or an {@link ObjectEntry} around
 * it while a write, a deletion or a floor of it is pending. Read it with `objectOf` and `localOf`.
 * Why not an entry for every object: at 100k ConfigMaps the entries took 56 B an object, half of
 * what kates held beyond the objects themselves (issue 18).
 */
export type StoredObject = KubernetesObject | ObjectEntry;

/** What a query asks for: one snapshot field. */
export interface QuerySpec {
  /** The snapshot field name. */
  readonly name: string;
  /** Any name kubectl accepts: `svc`, `deployments.apps`, a CRD's kind. */
  readonly kind: string;
  /** One namespace; all namespaces when absent. */
  readonly namespace?: string;
  /** Canonical label selector ('' for everything). */
  readonly labelSelector: string;
  /** Canonical field selector ('' for everything). */
  readonly fieldSelector: string;
}

/** Where a query is: resolving its kind, bound to a watch, or unable to be served. */
export type QueryPhase = 'resolving' | 'bound' | 'unserved' | 'forbidden' | 'error';

export interface QueryState extends QuerySpec {
  /** `accumulator/name`. */
  readonly id: string;
  readonly accumulator: string;
  readonly phase: QueryPhase;
  readonly groupKind?: string;
  readonly watchKey?: string;
  readonly error?: ErrorInfo;
  /** Members by UID: the very objects held in `objects`, never copies. */
  readonly members: Tree<KubernetesObject>;
}

/** A local write the watches have not all reached yet (see `ObjectEntry.local`). */
export interface PendingWrite {
  readonly groupKind: string;
  readonly resourceVersion: string;
}

/** The kates slice of a Redux store. */
export interface KatesState {
  /**
   * Every object the store holds, by group-kind then UID, once whatever the number of watches and
   * queries (see {@link StoredObject}); a kind of which nothing is held has no tree. One tree per
   * kind, so that the first list of a kind is its kind's objects tree as it is, whatever else the
   * store holds (issue 18). Read across kinds with `storedOf`, `objectCount` and `forEachStored`.
   */
  readonly objects: Readonly<Record<string, Tree<StoredObject>>>;
  readonly reflectors: Readonly<Record<string, ReflectorState>>;
  readonly queries: Readonly<Record<string, QueryState>>;
  /**
   * UIDs with a pending local write: its group-kind and resourceVersion. A tree like `objects`, not a record:
   * a burst of writes keeps thousands in flight, and copying a record of them on each write and
   * each release made the burst quadratic (2 ms a write with 10k in flight).
   */
  readonly localPending: Tree<PendingWrite>;
  /** Arrival sequence: one per action that carried objects. */
  readonly seq: number;
}
