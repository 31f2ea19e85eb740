import { type Accumulator, type AccumulatorOptions, createAccumulator } from '../accumulator/accumulator.js';
import type { Query, SnapshotOf } from '../accumulator/query.js';
import { Discovery } from '../discovery/discovery.js';
import type { ResourceType } from '../discovery/types.js';
import { groupKindOf } from '../discovery/types.js';
import { InvalidInputError } from '../errors/invalid-input.js';
import type { KubernetesObject } from '../model/object.js';
import { createWatchHost, type WatchManager } from '../reflector/manager.js';
import { WrittenVersions } from '../reflector/written-versions.js';
import { localWrite } from '../store/actions.js';
import { createKatesStore, type KatesStore } from '../store/store.js';
import type { Transport } from '../transport/types.js';
import { logWarningsOnce, withWarnings } from '../transport/warnings.js';
import { DeletionVersions } from './deletion-versions.js';
import { modifyObject } from './modify.js';
import { projectWriteResult } from './projection.js';
import { getObject, listPages } from './read.js';
import { isKindRef, kindName, namespaceFor, requireName, resolveTarget } from './target.js';
import type {
  ApplyOptions,
  ClientOptions,
  ClientWrite,
  DeleteOptions,
  DeleteResult,
  FieldValidation,
  GetOptions,
  KindRef,
  KindResult,
  ListOptions,
  ListPage,
  Modifier,
  PatchOptions,
  RetryOptions,
  Stored,
  WriteOptions,
  WriteVerb,
} from './types.js';
import { upsertObject } from './upsert.js';
import { applyObject, createObject, deleteObject, patchObject, updateObject } from './write.js';

type Obj = KubernetesObject;

/**
 * The kates client: CRUD for any resource type, typed or untyped, with kinds named the way
 * kubectl names them. Browser-safe: it talks only to a {@link Transport}. In Node, `createClient()`
 * builds one from a kubeconfig.
 *
 * Every verb resolves the kind through one {@link Discovery}; calls on objects use the object's
 * `apiVersion` and `kind`, calls by reference take `{ kind, name, namespace? }`. Namespaced calls
 * that name no namespace use {@link Client.namespace}. Every successful write is handed to the
 * {@link Client.onWrite} listeners before its promise resolves.
 */
export class Client {
  readonly transport: Transport;
  readonly discovery: Discovery;
  /** The namespace of namespaced calls that name none. */
  readonly namespace: string;
  private readonly fieldManager: string | undefined;
  private readonly fieldValidation: FieldValidation;
  private readonly conflictRetries: number;
  private readonly listeners = new Set<(write: ClientWrite) => void>();
  /**
   * The client's Redux store: every accumulator of this client reads it, every watch event and
   * every write result through this client is an action into it. One store per client.
   */
  readonly store: KatesStore;
  private readonly watches: WatchManager;
  /** The newest version this client wrote of each kind: new watches list at least that new. */
  private readonly writtenVersions = new WrittenVersions();
  private readonly host: ReturnType<typeof createWatchHost>;
  /** Learns the version of deletes answered with a Status, for the store (see DeletionVersions). */
  private readonly deletionVersions: DeletionVersions;

  constructor(options: ClientOptions) {
    this.transport =
      options.onWarning === false
        ? options.transport
        : withWarnings(options.transport, options.onWarning ?? logWarningsOnce());
    this.discovery =
      options.discovery instanceof Discovery
        ? options.discovery
        : new Discovery(this.transport, options.discovery);
    this.namespace = options.namespace || 'default';
    this.fieldManager = options.fieldManager;
    this.fieldValidation = options.fieldValidation ?? 'Strict';
    this.conflictRetries = options.conflictRetries ?? 10;
    this.store = options.store ?? createKatesStore();
    this.host = createWatchHost(
      this.transport,
      this.store,
      (kind) => this.discovery.resolve(kind),
      options.reflector,
      this.writtenVersions,
    );
    this.watches = this.host.watches;
    // Read/write coherence: each write result goes to the store, where every accumulator whose
    // queries match it shows it at once, projected as the watches project what they take (the
    // transform, and metadata only where the kind is watched so): see projection.ts.
    this.deletionVersions = new DeletionVersions(this.transport, this.store);
    const transform = options.reflector?.transform;
    this.onWrite((write) => {
      if (Object.keys(this.store.getState().kates.reflectors).length === 0) return;
      const groupKind = groupKindOf(write.resource);
      const object = projectWriteResult(
        write.object,
        write.resource,
        transform,
        this.watches.isMetadataOnly(groupKind),
      );
      this.store.dispatch(
        localWrite({
          groupKind,
          object,
          deleted: write.deleted,
          verb: write.verb,
        }),
      );
      const meta = write.object.metadata;
      if (write.deleted && meta?.uid && !meta.resourceVersion)
        this.deletionVersions.note(write.resource, meta.namespace, meta.uid);
    });
  }

  /**
   * Watches several queries as one coherent snapshot (Go kates' `client.Watch`): each query names
   * a snapshot field, a kind as kubectl names it, and optionally a namespace and selectors. The
   * last argument may be {@link AccumulatorOptions}. Queries that ask for the same kind, namespace
   * and selectors share one watch, across accumulators.
   *
   * @example
   * const acc = client.watch({ name: 'services', kind: 'svc' }, { name: 'deployments', kind: 'deploy' });
   * for await (const _ of acc) { acc.update(snapshot); reconcile(snapshot); }
   */
  watch<const Qs extends readonly Query[]>(...queries: Qs): Accumulator<SnapshotOf<Qs>>;
  watch<const Qs extends readonly Query[]>(...args: [...Qs, AccumulatorOptions]): Accumulator<SnapshotOf<Qs>>;
  watch(...args: (Query | AccumulatorOptions)[]): Accumulator {
    const last = args.at(-1);
    const hasOptions = last !== undefined && !('kind' in last) && !('name' in last);
    const queries = (hasOptions ? args.slice(0, -1) : args) as Query[];
    const options = hasOptions ? (last as AccumulatorOptions) : undefined;
    return createAccumulator(this.host, queries, options) as unknown as Accumulator;
  }

  /**
   * Calls `listener` with every successful write (not dry runs), synchronously, before the write's
   * promise resolves. If a listener throws, the others still run, and the write's promise rejects
   * with an error that says the write itself succeeded.
   *
   * @returns a function that removes the listener.
   */
  onWrite(listener: (write: ClientWrite) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Reads one object: `get('deploy', 'web')` is typed `Deployment`; `get<Widget>('wd', 'w1')` is `Widget`. */
  async get<T extends Obj = never, K extends string = string>(
    kind: K,
    name: string,
    opts?: GetOptions,
  ): Promise<KindResult<T, K>> {
    const rt = await this.discovery.resolve(kind);
    requireName('get', rt, name, 'name');
    const obj = await getObject(
      this.transport,
      rt,
      name,
      namespaceFor(rt, opts?.namespace, this.namespace),
      opts?.signal,
    );
    return obj as KindResult<T, K>;
  }

  /**
   * Lists objects of a kind in one namespace or all (`{ namespace: 'all' }`), with label and field
   * selectors, following `continue` page by page (500 items a page by default) until the end.
   */
  async list<T extends Obj = never, K extends string = string>(
    kind: K,
    opts: ListOptions = {},
  ): Promise<KindResult<T, K>[]> {
    const items: KindResult<T, K>[] = [];
    for await (const page of this.listPages<T, K>(kind, opts)) items.push(...page.items);
    return items;
  }

  /** The pages of a list, one request each, with each page's resourceVersion and continue token. */
  async *listPages<T extends Obj = never, K extends string = string>(
    kind: K,
    opts: ListOptions = {},
  ): AsyncGenerator<ListPage<KindResult<T, K>>, void, undefined> {
    const rt = await this.discovery.resolve(kind);
    yield* listPages(this.transport, rt, opts, this.namespace) as AsyncGenerator<
      ListPage<KindResult<T, K>>,
      void,
      undefined
    >;
  }

  /** Creates an object (`generateName` honoured) and resolves to what the API server stored, typed as the input. */
  async create<T extends Obj>(obj: T, opts?: WriteOptions): Promise<Stored<T>> {
    const rt = await this.resolveInput('create', obj);
    const namespace = namespaceFor(rt, obj.metadata?.namespace, this.namespace);
    const created = await createObject(this.transport, rt, obj, namespace, this.withDefaults(opts));
    return this.written('create', rt, created, false, opts) as Stored<T>;
  }

  /** Replaces an object. With `metadata.resourceVersion` set, a stale object fails with 409 Conflict. */
  async update<T extends Obj>(obj: T, opts?: WriteOptions): Promise<Stored<T>> {
    const target = await resolveTarget(this.discovery, 'update', obj, this.namespace);
    const updated = await updateObject(this.transport, target, obj, 'update', this.withDefaults(opts));
    return this.written('update', target.rt, updated, false, opts) as Stored<T>;
  }

  /** Replaces an object's status through the `status` subresource. */
  async updateStatus<T extends Obj>(obj: T, opts?: WriteOptions): Promise<Stored<T>> {
    const target = await resolveTarget(this.discovery, 'updateStatus', obj, this.namespace);
    const updated = await updateObject(this.transport, target, obj, 'updateStatus', this.withDefaults(opts));
    return this.written('updateStatus', target.rt, updated, false, opts) as Stored<T>;
  }

  /**
   * Patches an object named by reference or given as an object: a merge patch by default, a JSON
   * patch (`type: 'json'`, an array of operations) or a strategic merge patch (built-in kinds only).
   */
  patch<T extends Obj = never, K extends string = string>(
    ref: KindRef<K>,
    patch: unknown,
    opts?: PatchOptions,
  ): Promise<KindResult<T, K>>;
  patch<T extends Obj>(obj: T, patch: unknown, opts?: PatchOptions): Promise<Stored<T>>;
  async patch(input: Obj | KindRef, patch: unknown, opts?: PatchOptions): Promise<Obj> {
    const target = await resolveTarget(this.discovery, 'patch', input, this.namespace, 'object or reference');
    const patched = await patchObject<Obj>(this.transport, target, patch, this.withDefaults(opts));
    return this.written('patch', target.rt, patched, false, opts);
  }

  /**
   * Server-side apply: the API server merges the fields this manager sets (`fieldManager`, `kates` by
   * default) and reports fields owned by another manager as a conflict unless `force` is set.
   * Applying the same object twice changes nothing the second time.
   */
  async apply<T extends Obj>(obj: T, opts?: ApplyOptions): Promise<Stored<T>> {
    const target = await resolveTarget(this.discovery, 'apply', obj, this.namespace);
    const applied = await applyObject(this.transport, target, obj, this.withDefaults(opts), 'kates');
    return this.written('apply', target.rt, applied, false, opts) as Stored<T>;
  }

  /**
   * Deletes an object named by reference or given as an object, with `propagationPolicy` and
   * `preconditions` (uid, resourceVersion: a mismatch is 409 Conflict). A missing object is 404
   * NotFound (test with `isNotFound`).
   */
  delete<T extends Obj = never, K extends string = string>(
    ref: KindRef<K>,
    opts?: DeleteOptions,
  ): Promise<DeleteResult<KindResult<T, K>>>;
  delete<T extends Obj>(obj: T, opts?: DeleteOptions): Promise<DeleteResult<Stored<T>>>;
  async delete(input: Obj | KindRef, opts?: DeleteOptions): Promise<DeleteResult> {
    const target = await resolveTarget(
      this.discovery,
      'delete',
      input,
      this.namespace,
      'object or reference',
    );
    const result = await deleteObject(this.transport, target, opts);
    this.written('delete', target.rt, result.object, result.deleted, opts);
    return result;
  }

  /**
   * Go kates' upsert: creates the object if absent; otherwise merges its labels, annotations,
   * ownerReferences and spec into the live object and updates that, retrying on 409 Conflict.
   */
  async upsert<T extends Obj>(obj: T, opts?: RetryOptions): Promise<Stored<T>> {
    const target = await resolveTarget(this.discovery, 'upsert', obj, this.namespace);
    const result = await upsertObject(
      this.transport,
      target,
      obj,
      opts?.retries ?? this.conflictRetries,
      this.withDefaults({ signal: opts?.signal }),
    );
    return this.written('upsert', target.rt, result, false, undefined) as Stored<T>;
  }

  /**
   * Reads an object, applies `fn` (which changes it in place or returns a new one) and updates it;
   * on 409 Conflict reads it again and reapplies `fn`, a bounded number of times. When `fn` changes
   * nothing, no update is sent and the object read is returned.
   */
  modify<T extends Obj = never, K extends string = string>(
    ref: KindRef<K>,
    fn: Modifier<KindResult<T, K>>,
    opts?: RetryOptions,
  ): Promise<KindResult<T, K>>;
  modify<T extends Obj>(obj: T, fn: Modifier<Stored<T>>, opts?: RetryOptions): Promise<Stored<T>>;
  async modify(input: Obj | KindRef, fn: Modifier<Obj>, opts?: RetryOptions): Promise<Obj> {
    if (typeof fn !== 'function') {
      throw new InvalidInputError(
        'modify: the second argument must be a function that changes the object',
        'modify',
        'fn',
      );
    }
    const target = await resolveTarget(
      this.discovery,
      'modify',
      input,
      this.namespace,
      'object or reference',
    );
    const result = await modifyObject(
      this.transport,
      target,
      fn,
      opts?.retries ?? this.conflictRetries,
      this.withDefaults({ signal: opts?.signal }),
    );
    return result.written
      ? this.written('modify', target.rt, result.object, false, undefined)
      : result.object;
  }

  /** Stops every watch of this client and frees the transport's connections. */
  close(): void {
    this.deletionVersions.close();
    void this.watches.stopAll().finally(() => this.transport.close?.());
  }

  private async resolveInput(verb: string, obj: Obj): Promise<ResourceType> {
    if (typeof obj !== 'object' || obj === null || isKindRef(obj)) {
      throw new InvalidInputError(
        `${verb}: expected an object with apiVersion, kind and metadata`,
        verb,
        'object',
      );
    }
    return this.discovery.resolveObject(obj, verb);
  }

  /** The client's field manager and field validation, where the call names none. */
  private withDefaults<O extends WriteOptions>(opts: O | undefined): O {
    return {
      ...opts,
      fieldManager: opts?.fieldManager ?? this.fieldManager,
      fieldValidation: opts?.fieldValidation ?? this.fieldValidation,
    } as O;
  }

  // Hands a write to the listeners; dry runs changed nothing and are not handed on.
  private written<T extends Obj>(
    verb: WriteVerb,
    resource: ResourceType,
    object: T,
    deleted: boolean,
    opts: { dryRun?: boolean } | undefined,
  ): T {
    if (opts?.dryRun) return object;
    this.writtenVersions.note(groupKindOf(resource), object.metadata?.resourceVersion);
    const write: ClientWrite = Object.freeze({ verb, resource, object, deleted });
    let failure: { error: unknown } | undefined;
    for (const listener of [...this.listeners]) {
      try {
        listener(write);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) {
      const reason = failure.error instanceof Error ? failure.error.message : String(failure.error);
      throw new Error(`${verb} ${kindName(resource)} succeeded, but an onWrite listener threw: ${reason}`, {
        cause: failure.error,
      });
    }
    return object;
  }
}
