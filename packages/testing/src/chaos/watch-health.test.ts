import { createKatesStore } from '@kates/core';
import {
  listCompleted,
  listStarted,
  reflectorAdded,
  reflectorRemoved,
  reflectorStatus,
} from '@kates/core/internal';
import { describe, expect, it } from 'vitest';
import { trackWatchHealth } from './watch-health.js';

const added = (key: string) =>
  reflectorAdded({
    key,
    groupKind: 'ConfigMap',
    apiVersion: 'v1',
    resource: 'configmaps',
    labelSelector: '',
    fieldSelector: '',
  });
const gone = (key: string) =>
  reflectorStatus({
    key,
    phase: 'relisting',
    error: { message: 'too old', code: 410, reason: 'Gone', at: new Date(0).toISOString() },
  });

describe('trackWatchHealth', () => {
  it('counts each 410 once and each completed relist, across watches', () => {
    const store = createKatesStore();
    const tracker = trackWatchHealth(store);
    for (const key of ['a', 'b']) {
      store.dispatch(added(key));
      store.dispatch(listStarted({ key }));
      store.dispatch(listCompleted({ key, resourceVersion: '1' }));
    }
    store.dispatch(gone('a'));
    store.dispatch(listStarted({ key: 'a' }));
    store.dispatch(listCompleted({ key: 'a', resourceVersion: '5' }));
    store.dispatch(gone('b'));
    expect(tracker.current()).toMatchObject({ gone: 2, relists: 1 });
    tracker.stop();
  });

  it('keeps the counts of a watch after it is removed', () => {
    const store = createKatesStore();
    const tracker = trackWatchHealth(store);
    store.dispatch(added('a'));
    store.dispatch(listStarted({ key: 'a' }));
    store.dispatch(listCompleted({ key: 'a', resourceVersion: '1' }));
    store.dispatch(
      reflectorStatus({
        key: 'a',
        phase: 'backing-off',
        error: { message: 'reset', at: '' },
        count: 'reconnects',
      }),
    );
    store.dispatch(gone('a'));
    store.dispatch(listStarted({ key: 'a' }));
    store.dispatch(listCompleted({ key: 'a', resourceVersion: '9' }));
    store.dispatch(reflectorRemoved({ key: 'a' }));
    expect(tracker.current()).toMatchObject({ gone: 1, relists: 1, reconnects: 1 });
    tracker.stop();
  });
});
