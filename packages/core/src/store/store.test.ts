import { describe, expect, it } from 'vitest';
import { listStarted, reflectorAdded } from './actions.js';
import { initialKatesState } from './reducer.js';
import { createKatesStore } from './store.js';

describe('createKatesStore', () => {
  it('holds the kates slice under kates, and nothing else, from the start', () => {
    const store = createKatesStore();
    expect(Object.keys(store.getState())).toEqual(['kates']);
    expect(store.getState().kates).toBe(initialKatesState);
  });

  it('keeps the root state when the kates slice did not change, as combineReducers does', () => {
    const store = createKatesStore();
    const before = store.getState();
    store.dispatch({ type: 'someone/else' });
    expect(store.getState()).toBe(before);
    store.dispatch(
      reflectorAdded({
        key: 'k',
        groupKind: 'ConfigMap',
        apiVersion: 'v1',
        resource: 'configmaps',
        namespace: 'default',
        labelSelector: '',
        fieldSelector: '',
      }),
    );
    const after = store.getState();
    expect(after).not.toBe(before);
    expect(Object.keys(after)).toEqual(['kates']);
    expect(after.kates).not.toBe(before.kates);
    store.dispatch(listStarted({ key: 'k' }));
    expect(store.getState().kates).not.toBe(after.kates);
  });
});
