import {
  apiVersionOf,
  createKatesStore,
  groupKindOf,
  type KatesStore,
  type KubernetesObject,
  type ResourceType,
} from '@kates/core/browser';
import {
  type AccumulatorHost,
  createAccumulator,
  listCompleted,
  listPage,
  listStarted,
  reflectorAdded,
  reflectorStatus,
  type WatchEventPayload,
  watchEvents,
} from '@kates/core/internal';

export const podType: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'pods',
  kind: 'Pod',
  namespaced: true,
  verbs: ['get', 'list', 'watch'],
};
export const serviceType: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'services',
  kind: 'Service',
  namespaced: true,
  verbs: ['get', 'list', 'watch'],
};

const types: Record<string, ResourceType> = { pods: podType, services: serviceType };

/** A pod as a watch delivers it; names sort in index order. */
export function makeObject(type: ResourceType, i: number, rv: number, phase = 'Running'): KubernetesObject {
  return {
    apiVersion: apiVersionOf(type),
    kind: type.kind,
    metadata: {
      name: `${type.resource}-${String(i).padStart(5, '0')}`,
      namespace: 'default',
      uid: `${type.resource}-uid-${i}`,
      resourceVersion: String(rv),
    },
    status: { phase },
  };
}

/**
 * A store and an accumulator over a test host: each query's watch is fed by hand with the
 * actions a reflector dispatches, so tests say exactly which events arrive.
 */
export async function fixture(counts: Record<string, number>, options: { store?: KatesStore } = {}) {
  const store = options.store ?? createKatesStore();
  const keys = new Map<string, string>();
  const host: AccumulatorHost = {
    store,
    resolve: async (kind) => {
      const t = types[kind];
      if (!t) throw Object.assign(new Error(`unknown kind ${kind}`), { unserved: true });
      return t;
    },
    acquireWatch(key, resource, spec) {
      keys.set(resource.resource, key);
      store.dispatch(
        reflectorAdded({
          key,
          groupKind: groupKindOf(resource),
          apiVersion: apiVersionOf(resource),
          resource: resource.resource,
          labelSelector: spec.labelSelector,
          fieldSelector: spec.fieldSelector,
        }),
      );
    },
    releaseWatch() {},
  };
  const accumulator = createAccumulator(
    host,
    Object.keys(counts).map((kind) => ({ name: kind, kind })),
  );
  await new Promise((r) => setTimeout(r, 0));
  let rv = 1;
  const keyOf = (kind: string) => {
    const key = keys.get(kind);
    if (!key) throw new Error(`no watch for ${kind}`);
    return key;
  };
  const list = (kind: string) => {
    const key = keyOf(kind);
    store.dispatch(listStarted({ key }));
    const items = Array.from({ length: counts[kind]! }, (_, i) => makeObject(types[kind]!, i, rv++));
    store.dispatch(listPage({ key, items }));
    store.dispatch(listCompleted({ key, resourceVersion: String(rv++) }));
    store.dispatch(reflectorStatus({ key, phase: 'watching', error: null, attempt: 0, retryAt: null }));
  };
  const events = (kind: string, evs: WatchEventPayload[]) =>
    store.dispatch(watchEvents({ key: keyOf(kind), events: evs }));
  return {
    store,
    accumulator,
    keyOf,
    list,
    listAll: () => Object.keys(counts).forEach(list),
    /** A MODIFIED event for object `i` of `kind`, with a new resourceVersion. */
    modify: (kind: string, i: number, phase = 'Failed') =>
      events(kind, [{ type: 'MODIFIED', object: makeObject(types[kind]!, i, rv++, phase) }]),
    add: (kind: string, i: number) =>
      events(kind, [{ type: 'ADDED', object: makeObject(types[kind]!, i, rv++) }]),
    remove: (kind: string, i: number) =>
      events(kind, [{ type: 'DELETED', object: makeObject(types[kind]!, i, rv++) }]),
  };
}
