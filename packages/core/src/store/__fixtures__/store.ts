import type { KubernetesObject } from '../../model/object.js';
import * as actions from '../actions.js';
import { createKatesSelectors } from '../selectors.js';
import type { KatesState, PendingWrite, QuerySpec } from '../state.js';
import { createKatesStore, type KatesRootState, type KatesStore, type KatesStoreOptions } from '../store.js';
import { forEachStored, objectOf, storedOf } from '../stored-object.js';
import { type Tree, treeForEach } from '../tree.js';

/**
 * Builders for store tests: objects and the action sequences a reflector and an accumulator
 * dispatch, so a test reads as the history it replays.
 */

export interface PodOptions {
  readonly uid?: string;
  readonly rv: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly phase?: string;
}

/** A Pod as the API server serves it (plain JSON). The uid defaults to `uid-<name>`. */
export function pod(name: string, o: PodOptions): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      uid: o.uid ?? `uid-${name}`,
      resourceVersion: o.rv,
      ...(o.labels ? { labels: o.labels } : {}),
    },
    ...(o.phase ? { status: { phase: o.phase } } : {}),
  };
}

export interface WatchOptions {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly groupKind?: string;
}

/** A store and helpers that drive it the way a reflector and an accumulator would. */
export class StoreDriver {
  readonly store: KatesStore;
  readonly selectors = createKatesSelectors((root: KatesRootState) => root.kates);

  constructor(options: KatesStoreOptions = {}) {
    this.store = createKatesStore(options);
  }

  /** Adds the reflector `key` (its watch has not listed yet). */
  watch(key: string, o: WatchOptions = {}): this {
    this.store.dispatch(
      actions.reflectorAdded({
        key,
        groupKind: o.groupKind ?? 'Pod',
        apiVersion: 'v1',
        resource: 'pods',
        ...(o.namespace ? { namespace: o.namespace } : {}),
        labelSelector: o.labelSelector ?? '',
        fieldSelector: o.fieldSelector ?? '',
      }),
    );
    return this;
  }

  /** Adds query `id` and binds it to the watch `key`, with the same namespace and selectors. */
  query(id: string, key: string, o: WatchOptions & Partial<QuerySpec> = {}): this {
    this.store.dispatch(
      actions.queryAdded({
        id,
        accumulator: 'test',
        name: id,
        kind: o.kind ?? 'pods',
        ...(o.namespace ? { namespace: o.namespace } : {}),
        labelSelector: o.labelSelector ?? '',
        fieldSelector: o.fieldSelector ?? '',
      }),
    );
    this.store.dispatch(actions.queryBound({ id, groupKind: o.groupKind ?? 'Pod', watchKey: key }));
    return this;
  }

  /** A whole list: started, one page per `pageSize` items, completed at `rv`. */
  list(key: string, rv: string, items: KubernetesObject[], pageSize = 2): this {
    this.store.dispatch(actions.listStarted({ key }));
    for (let i = 0; i < items.length; i += pageSize)
      this.store.dispatch(actions.listPage({ key, items: items.slice(i, i + pageSize) }));
    this.store.dispatch(actions.listCompleted({ key, resourceVersion: rv }));
    return this;
  }

  /** One batch of watch events. */
  events(key: string, ...events: [type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubernetesObject][]): this {
    this.store.dispatch(
      actions.watchEvents({ key, events: events.map(([type, object]) => ({ type, object })) }),
    );
    return this;
  }

  /** A bookmark: the watch has reached `rv`. */
  bookmark(key: string, rv: string): this {
    this.store.dispatch(
      actions.watchEvents({
        key,
        events: [
          { type: 'BOOKMARK', object: { apiVersion: 'v1', kind: 'Pod', metadata: { resourceVersion: rv } } },
        ],
      }),
    );
    return this;
  }

  /** The result of a write through the client. */
  write(object: KubernetesObject, verb = 'update'): this {
    this.store.dispatch(actions.localWrite({ groupKind: 'Pod', object, deleted: false, verb }));
    return this;
  }

  /** The result of a delete through the client. */
  deleted(object: KubernetesObject): this {
    this.store.dispatch(actions.localWrite({ groupKind: 'Pod', object, deleted: true, verb: 'delete' }));
    return this;
  }

  /**
   * A delete the API server answered with a `Status`: no resourceVersion, only the reference and
   * the uid from `details`.
   */
  deletedWithStatus(name: string, namespace = 'default', uid = `uid-${name}`): this {
    const ref = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, uid } };
    this.store.dispatch(actions.localWrite({ groupKind: 'Pod', object: ref, deleted: true, verb: 'delete' }));
    return this;
  }

  /** The client's consistent list after a Status-answered delete: the API server is at `rv`. */
  deletionVersion(rv: string, ...uids: string[]): this {
    this.store.dispatch(actions.deletionVersion({ groupKind: 'Pod', uids, resourceVersion: rv }));
    return this;
  }

  get state() {
    return this.store.getState().kates;
  }

  /** The pending local writes as a plain record, UID to group-kind. */
  pending(): Record<string, string> {
    return pendingRecord(this.state);
  }

  /** The sorted snapshot field of query `id`. */
  items(id: string): readonly KubernetesObject[] {
    return this.selectors.selectQueryItems(id)(this.store.getState());
  }

  /** `namespace/name@resourceVersion` of each item of query `id`, in order. */
  names(id: string): string[] {
    return this.items(id).map(
      (o) => `${o.metadata?.namespace}/${o.metadata?.name}@${o.metadata?.resourceVersion}`,
    );
  }

  /** The object the store holds for `uid`. */
  object(uid: string): KubernetesObject | undefined {
    const stored = storedOf(this.state, uid);
    return stored && objectOf(stored);
  }
}

/** `localPending` of a state as a plain record, UID to group-kind, for comparisons. */
export function pendingRecord(state: { readonly localPending: Tree<PendingWrite> }): Record<string, string> {
  const out: Record<string, string> = {};
  treeForEach(state.localPending, ({ groupKind }, uid) => {
    out[uid] = groupKind;
  });
  return out;
}

/** Every object a kates state holds, all kinds together. */
export function heldObjects(state: KatesState): KubernetesObject[] {
  const out: KubernetesObject[] = [];
  forEachStored(state, (stored) => {
    out.push(objectOf(stored));
  });
  return out;
}
