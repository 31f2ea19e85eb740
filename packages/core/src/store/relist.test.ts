import { describe, expect, it } from 'vitest';
import { pod, StoreDriver } from './__fixtures__/store.js';
import * as actions from './actions.js';
import { objectCount } from './stored-object.js';

describe('a relist', () => {
  function listed() {
    const d = new StoreDriver().watch('all').query('q', 'all');
    d.list('all', '10', [pod('a', { rv: '5' }), pod('b', { rv: '6' }), pod('c', { rv: '7' })]);
    return d;
  }

  it('shows readers the old complete state until it completes', () => {
    const d = listed();
    const before = d.items('q');
    const state = d.store.getState();
    d.store.dispatch(actions.listStarted({ key: 'all' }));
    expect(d.items('q')).toBe(before);
    expect(d.store.getState().kates.objects).toBe(state.kates.objects);
    expect(d.store.getState().kates.queries).toBe(state.kates.queries);
    d.store.dispatch(
      actions.listPage({ key: 'all', items: [pod('a', { rv: '20' }), pod('d', { rv: '21' })] }),
    );
    expect(d.items('q')).toBe(before);
    expect(d.store.getState().kates.objects).toBe(state.kates.objects);
    expect(d.state.reflectors.all!.phase).toBe('relisting');
    d.store.dispatch(actions.listCompleted({ key: 'all', resourceVersion: '22' }));
    expect(d.names('q')).toEqual(['default/a@20', 'default/d@21']);
  });

  it('drops objects missing from the new list', () => {
    const d = listed();
    d.list('all', '30', [pod('b', { rv: '6' })]);
    expect(d.names('q')).toEqual(['default/b@6']);
    expect(objectCount(d.state)).toBe(1);
    expect(d.state.reflectors.all!.counters.relists).toBe(1);
    expect(d.state.reflectors.all!.resourceVersion).toBe('30');
  });

  it('keeps the identity of objects whose version did not change', () => {
    const d = listed();
    const b = d.object('uid-b');
    d.list('all', '30', [pod('a', { rv: '25' }), pod('b', { rv: '6' }), pod('c', { rv: '7' })]);
    expect(d.object('uid-b')).toBe(b);
    expect(d.items('q')[1]).toBe(b);
  });

  it('to an empty list empties the query', () => {
    const d = listed();
    d.list('all', '30', []);
    expect(d.names('q')).toEqual([]);
    expect(objectCount(d.state)).toBe(0);
  });

  it('does not regress an object to an older version from a lagging list', () => {
    const d = listed();
    d.events('all', ['MODIFIED', pod('a', { rv: '15' })]);
    d.list('all', '12', [pod('a', { rv: '9' }), pod('b', { rv: '6' }), pod('c', { rv: '7' })]);
    expect(d.names('q')).toEqual(['default/a@15', 'default/b@6', 'default/c@7']);
  });

  it('releases a local write it has passed even when it lists nothing', () => {
    const d = new StoreDriver()
      .watch('web', { labelSelector: 'app=web' })
      .query('web', 'web', { labelSelector: 'app=web' });
    d.list('web', '10', []);
    d.write(pod('a', { rv: '11', labels: { app: 'db' } }));
    expect(d.pending()).toEqual({ 'uid-a': 'Pod' });
    d.list('web', '12', []);
    expect(d.pending()).toEqual({});
    expect(objectCount(d.state)).toBe(0);
  });

  it('keeps showing a local write newer than the list', () => {
    const d = listed();
    d.write(pod('e', { rv: '40' }), 'create');
    d.list('all', '35', [pod('a', { rv: '5' })]);
    expect(d.names('q')).toEqual(['default/a@5', 'default/e@40']);
    d.list('all', '41', [pod('a', { rv: '5' })]);
    expect(d.names('q')).toEqual(['default/a@5']);
  });

  it('marks the watch synced on its first list, even when empty', () => {
    const d = new StoreDriver().watch('all').query('q', 'all');
    expect(d.state.reflectors.all!.synced).toBe(false);
    d.store.dispatch(actions.listStarted({ key: 'all' }));
    expect(d.state.reflectors.all!.phase).toBe('listing');
    d.store.dispatch(actions.listCompleted({ key: 'all', resourceVersion: '1' }));
    expect(d.state.reflectors.all!.synced).toBe(true);
    expect(d.state.reflectors.all!.phase).toBe('watching');
    expect(d.state.reflectors.all!.counters.relists).toBe(0);
  });
});
