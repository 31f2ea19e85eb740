import { apiVersionOf, groupKindOf, type ResourceType } from '../../discovery/types.js';
import { ApiError } from '../../errors/api-error.js';
import type { KubernetesObject } from '../../model/object.js';
import * as actions from '../../store/actions.js';
import type { QuerySpec } from '../../store/state.js';
import { createKatesStore, type KatesStore } from '../../store/store.js';
import type { Accumulator } from '../accumulator.js';
import type { AccumulatorHost } from '../host.js';

/** Resource types a test host serves, by every name a test uses. */
export const podsType: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'pods',
  kind: 'Pod',
  namespaced: true,
  verbs: ['list', 'watch'],
  shortNames: ['po'],
};
export const servicesType: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'services',
  kind: 'Service',
  namespaced: true,
  verbs: ['list', 'watch'],
  shortNames: ['svc'],
};
export const nodesType: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'nodes',
  kind: 'Node',
  namespaced: false,
  verbs: ['list', 'watch'],
};

/**
 * An accumulator host without a server: kinds resolve from a table, and `acquireWatch` only adds
 * the reflector to the store. The test plays the reflector by dispatching its actions.
 */
export class TestHost implements AccumulatorHost {
  readonly store: KatesStore = createKatesStore();
  readonly kinds = new Map<string, ResourceType>([
    ['pods', podsType],
    ['po', podsType],
    ['Pod', podsType],
    ['services', servicesType],
    ['svc', servicesType],
    ['nodes', nodesType],
  ]);
  /** Watch key -> number of queries using it. */
  readonly users = new Map<string, number>();
  /** Kinds that fail to resolve with this error instead. */
  readonly failures = new Map<string, Error>();
  private readonly pending: Promise<unknown>[] = [];

  resolve(kind: string): Promise<ResourceType> {
    const failure = this.failures.get(kind);
    const rt = this.kinds.get(kind);
    const p = failure
      ? Promise.reject(failure)
      : rt
        ? Promise.resolve(rt)
        : Promise.reject(Object.assign(new Error(`the server does not serve "${kind}"`), { unserved: true }));
    this.pending.push(p.catch(() => {}));
    return p;
  }

  acquireWatch(key: string, resource: ResourceType, spec: QuerySpec): void {
    const n = this.users.get(key) ?? 0;
    this.users.set(key, n + 1);
    if (n > 0) return;
    this.store.dispatch(
      actions.reflectorAdded({
        key,
        groupKind: groupKindOf(resource),
        apiVersion: apiVersionOf(resource),
        resource: resource.resource,
        ...(resource.namespaced && spec.namespace ? { namespace: spec.namespace } : {}),
        labelSelector: spec.labelSelector,
        fieldSelector: spec.fieldSelector,
      }),
    );
  }

  releaseWatch(key: string): void {
    const n = this.users.get(key) ?? 0;
    if (n <= 1) {
      this.users.delete(key);
      this.store.dispatch(actions.reflectorRemoved({ key }));
    } else this.users.set(key, n - 1);
  }

  /** Waits until every kind asked for so far is resolved and its query bound (or failed). */
  async settled(): Promise<void> {
    await Promise.all(this.pending);
    // The accumulator's continuation after `await resolve()` runs one turn later.
    await new Promise<void>((r) => queueMicrotask(r));
  }

  /** The watch key query `name` of `acc` reads. */
  keyOf(acc: Accumulator, name: string): string {
    const id = acc.queryId(name);
    const key = id && this.store.getState().kates.queries[id]?.watchKey;
    if (!key) throw new Error(`query "${name}" is not bound to a watch yet`);
    return key;
  }

  /** A complete list of the watch of query `name`. */
  list(acc: Accumulator, name: string, rv: string, items: KubernetesObject[] = []): void {
    const key = this.keyOf(acc, name);
    this.store.dispatch(actions.listStarted({ key }));
    if (items.length) this.store.dispatch(actions.listPage({ key, items }));
    this.store.dispatch(actions.listCompleted({ key, resourceVersion: rv }));
  }

  /** Watch events on the watch of query `name`. */
  events(
    acc: Accumulator,
    name: string,
    ...events: [type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubernetesObject][]
  ): void {
    this.store.dispatch(
      actions.watchEvents({
        key: this.keyOf(acc, name),
        events: events.map(([type, object]) => ({ type, object })),
      }),
    );
  }
}

/** What discovery throws when RBAC refuses it: a 403 `ApiError` with the server's message as its own. */
export function forbidden(message: string): ApiError {
  return new ApiError(
    { code: 403, reason: 'Forbidden', serverMessage: message, verb: 'discover', resource: '/api/v1' },
    message,
  );
}

/** A Service as the API server serves it. */
export function service(
  name: string,
  rv: string,
  o: { namespace?: string; labels?: Record<string, string>; uid?: string } = {},
): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      uid: o.uid ?? `svc-${name}`,
      resourceVersion: rv,
      ...(o.labels ? { labels: o.labels } : {}),
    },
  };
}
