import type { ResourceType } from '../../discovery/types.js';
import { reflectorAdded } from '../../store/actions.js';
import { createKatesStore, type KatesStore } from '../../store/store.js';

/** ConfigMaps as discovery describes them. */
export const configmaps: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'configmaps',
  kind: 'ConfigMap',
  namespaced: true,
  verbs: ['list', 'watch'],
};

/** The watch key the reflector tests use: all objects of the kind, everywhere. */
export const key = 'ConfigMap|||';

/** A store with the watch `key` of `resource` registered, as the watch manager does first. */
export function storeWithWatch(resource: ResourceType = configmaps): KatesStore {
  const store = createKatesStore();
  store.dispatch(
    reflectorAdded({
      key,
      groupKind: resource.kind,
      apiVersion: 'v1',
      resource: resource.resource,
      labelSelector: '',
      fieldSelector: '',
    }),
  );
  return store;
}
