import { createKatesStore, type KubernetesObject } from '@kates/core';
import { listCompleted, listStarted, reflectorAdded, watchEvents } from '@kates/core/internal';
import { describe, expect, it } from 'vitest';
import { explainMissing } from './explain.js';

const watch = (key: string, namespace?: string, labelSelector = '') =>
  reflectorAdded({
    key,
    groupKind: 'ConfigMap',
    apiVersion: 'v1',
    resource: 'configmaps',
    ...(namespace ? { namespace } : {}),
    labelSelector,
    fieldSelector: '',
  });

const cm = (rv: string, group: string): KubernetesObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'configmap-505',
    namespace: 'chaos-b',
    uid: 'u505',
    resourceVersion: rv,
    labels: { 'chaos-group': group },
  },
});

describe('explainMissing', () => {
  it('names the version the store holds and every watch of the kind, marking those behind the LIST', () => {
    const store = createKatesStore();
    store.dispatch(watch('inventory', undefined, 'chaos-group in (red,blue)'));
    store.dispatch(watch('namespaced', 'chaos-b'));
    store.dispatch(watch('children', 'chaos-a', 'parent-uid'));
    for (const key of ['inventory', 'namespaced', 'children']) {
      store.dispatch(listStarted({ key }));
      store.dispatch(listCompleted({ key, resourceVersion: '10' }));
    }
    for (const key of ['inventory', 'namespaced'])
      store.dispatch(watchEvents({ key, events: [{ type: 'ADDED', object: cm('11', 'red') }] }));
    // The ConfigMap moves to green: the selected watch is told DELETED, the namespace's MODIFIED.
    store.dispatch(
      watchEvents({ key: 'namespaced', events: [{ type: 'MODIFIED', object: cm('12', 'green') }] }),
    );
    store.dispatch(watchEvents({ key: 'inventory', events: [{ type: 'DELETED', object: cm('12', 'red') }] }));
    expect(explainMissing(store.getState().kates, cm('12', 'green'))).toBe(
      'chaos-b/configmap-505 (listed at 12): store holds 12; watches of ConfigMap: ' +
        'children watching at 10 (behind), inventory watching at 12, namespaced watching at 12',
    );
  });

  it('says when the store holds no object of the uid, and when no watch of the kind is left', () => {
    const store = createKatesStore();
    expect(explainMissing(store.getState().kates, cm('3', 'red'))).toBe(
      'chaos-b/configmap-505 (listed at 3): store holds no object of its uid; watches of ConfigMap: none',
    );
  });
});
