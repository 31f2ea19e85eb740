import type { Discovery, DiscoveryOptions } from '../discovery/discovery.js';
import type { ResourceType } from '../discovery/types.js';
import type { TypeOfKind } from '../model/kinds.js';
import type { KubernetesObject, ObjectMeta } from '../model/object.js';
import type { ReflectorOptions } from '../reflector/reflector.js';
import type { LabelSelectorObject, Selector } from '../selector/types.js';
import type { KatesStore } from '../store/store.js';
import type { Transport } from '../transport/types.js';
import type { WarningHandler } from '../transport/warnings.js';

/** The client verbs that write, as {@link ClientWrite.verb} names them. */
export type WriteVerb =
  | 'create'
  | 'update'
  | 'updateStatus'
  | 'patch'
  | 'apply'
  | 'delete'
  | 'upsert'
  | 'modify';

/**
 * One successful write through the client, handed to every {@link Client.onWrite} listener
 * synchronously, before the write's promise resolves. The accumulator folds these into its
 * snapshots at once (read/write coherence).
 */
export interface ClientWrite {
  readonly verb: WriteVerb;
  readonly resource: ResourceType;
  /**
   * The object as the API server answered, with `apiVersion` and `kind` always set. For a delete
   * answered with a `Status` it is `{ apiVersion, kind, metadata: { name, namespace, uid } }`,
   * where `uid` is absent when neither the request nor the answer named it.
   */
  readonly object: KubernetesObject;
  /**
   * True when the object is gone (a delete answered with the final state or a `Status`); false
   * when a delete only set `deletionTimestamp` (finalizers pending, or graceful deletion of a pod).
   * Always false for other verbs.
   */
  readonly deleted: boolean;
}

/** A reference to one object by kind name (any form kubectl accepts), name and namespace. */
export interface KindRef<K extends string = string> {
  readonly kind: K;
  readonly name: string;
  /** Defaults to the client's namespace for namespaced kinds; ignored for cluster-scoped kinds. */
  readonly namespace?: string;
}

/**
 * What the API server answers for an object of type `T`: `T` itself when its `metadata` is already
 * `ObjectMeta` (typed kinds such as `Pod`), else `T` with full `metadata`, so that the `uid` and
 * `resourceVersion` of an object written from a literal can be read.
 */
export type Stored<T> = T extends { metadata?: infer M }
  ? [ObjectMeta] extends [M]
    ? T
    : T & { metadata: ObjectMeta }
  : T & { metadata: ObjectMeta };

/** The result type of a kind-named call: the type argument if given, else the kind's alias, else untyped. */
export type KindResult<T, K extends string> = [T] extends [never] ? TypeOfKind<K, KubernetesObject> : T;

/** Options of the browser-safe {@link Client} core. */
export interface ClientOptions {
  /** How requests reach the API server. */
  readonly transport: Transport;
  /** The namespace used for namespaced kinds when a call names none; `default` if not given. */
  readonly namespace?: string;
  /** A shared discovery, or options for the client's own. */
  readonly discovery?: Discovery | DiscoveryOptions;
  /** The field manager of `apply` (and of other writes, when given); `kates` by default for apply. */
  readonly fieldManager?: string;
  /** Retries on 409 Conflict for `upsert` and `modify`; 10 by default. */
  readonly conflictRetries?: number;
  /** A store of your own (e.g. with a recorder enhancer); one is made otherwise. */
  readonly store?: KatesStore;
  /**
   * Settings of the watches behind `watch()` (page size, streaming list, transform, backoff).
   * `transform` is the client's projection (`dropManagedFields`, `keepFields([...])`): applied to
   * every object the watches take and to every result of this client's writes before the store
   * holds it, so both read alike (see `keepFields`).
   */
  readonly reflector?: ReflectorOptions;
  /**
   * How create, update, patch and apply treat unknown or duplicate fields. `Strict` by default, as
   * kubectl does: a misspelt field (`spec.replica`) fails the write, naming the field, rather than
   * being dropped without a word (the API server's own default, `Warn`, only sends a warning).
   */
  readonly fieldValidation?: FieldValidation;
  /**
   * Receives the API server's warnings (deprecated API versions, dropped fields, policy advice).
   * By default each distinct warning is written once with `console.warn`; `false` drops them.
   */
  readonly onWarning?: WarningHandler | false;
}

/** Options of `get`. */
export interface GetOptions {
  readonly namespace?: string;
  readonly signal?: AbortSignal;
}

/** A label selector as kubectl spells it, as a `LabelSelector` object, or parsed. */
export type LabelSelectorInput = string | LabelSelectorObject | Selector;
/** A field selector as kubectl spells it, as `{ field: value }`, or parsed. */
export type FieldSelectorInput = string | Readonly<Record<string, string>> | Selector;

/** Options of `list` and `listPages`. */
export interface ListOptions {
  /**
   * The namespace to list for namespaced kinds; the client's namespace by default. `'all'` lists
   * every namespace (as does `allNamespaces: true`); to list a namespace that is really named
   * "all", pass `allNamespaces: false` with it.
   */
  readonly namespace?: string;
  readonly allNamespaces?: boolean;
  readonly labelSelector?: LabelSelectorInput;
  readonly fieldSelector?: FieldSelectorInput;
  /** Page size (`?limit=`); 500 by default, 0 for one unpaginated request. */
  readonly limit?: number;
  /** `?resourceVersion=` of the first page (`'0'` serves from the watch cache). */
  readonly resourceVersion?: string;
  readonly signal?: AbortSignal;
}

/** One page of a list. */
export interface ListPage<T = KubernetesObject> {
  /** Items with `apiVersion` and `kind` set (the API server leaves them out of list items). */
  readonly items: T[];
  /** The list's resourceVersion: where a watch that follows the list starts. */
  readonly resourceVersion: string;
  /** The continue token of the next page; undefined on the last page. */
  readonly continue?: string;
  readonly remainingItemCount?: number;
}

/**
 * How the API server treats fields its schema does not know, or fields given twice (`?fieldValidation=`):
 * `Strict` refuses the write with a 400 that names each such field; `Warn` drops them and says so in
 * a warning; `Ignore` drops them silently.
 */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** Options common to writes. */
export interface WriteOptions {
  /** Validate and answer without persisting (`?dryRun=All`); dry runs are not handed to the store. */
  readonly dryRun?: boolean;
  /** `?fieldManager=`: who owns the fields this write sets. */
  readonly fieldManager?: string;
  /** The client's `fieldValidation` by default (`Strict`). */
  readonly fieldValidation?: FieldValidation;
  readonly signal?: AbortSignal;
}

/** The patch types of `patch`. Strategic merge is served for built-in kinds only, not CRDs. */
export type PatchType = 'merge' | 'json' | 'strategic';

/** Options of `patch`. */
export interface PatchOptions extends WriteOptions {
  /** `merge` (RFC 7386) by default; `json` (RFC 6902, an array of operations); `strategic`. */
  readonly type?: PatchType;
  /** Patch a subresource, such as `status` or `scale`. */
  readonly subresource?: string;
}

/** Options of `apply` (server-side apply). */
export interface ApplyOptions extends WriteOptions {
  /** Take ownership of fields another manager owns, instead of failing with a conflict. */
  readonly force?: boolean;
  /** Apply to a subresource, such as `status`. */
  readonly subresource?: string;
}

/** Options of `delete`. */
export interface DeleteOptions {
  /** How dependents are deleted; the resource's default otherwise (Background for most). */
  readonly propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  /** Delete only if the object still has this uid and/or resourceVersion; otherwise 409 Conflict. */
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly gracePeriodSeconds?: number;
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
}

/** What a delete did. */
export interface DeleteResult<T = KubernetesObject> {
  /** See {@link ClientWrite.deleted}. */
  readonly deleted: boolean;
  /** See {@link ClientWrite.object}. */
  readonly object: T;
}

/**
 * The function of `modify`: changes the object it is given in place (and returns nothing), or
 * returns the new object. It may run more than once (after conflicts).
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a function that changes its argument in place returns void
export type Modifier<T> = (obj: T) => T | undefined | void | Promise<T | undefined | void>;

/** Options of `upsert` and `modify`. */
export interface RetryOptions {
  /** Retries after a 409 Conflict before giving up; the client's `conflictRetries` (10) by default. */
  readonly retries?: number;
  readonly signal?: AbortSignal;
}
