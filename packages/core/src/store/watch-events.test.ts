import { describe, expect, it } from 'vitest';
import { pod, StoreDriver } from './__fixtures__/store.js';
import { objectCount } from './stored-object.js';

function synced() {
  const d = new StoreDriver()
    .watch('all')
    .watch('web', { labelSelector: 'app=web' })
    .query('all', 'all')
    .query('web', 'web', { labelSelector: 'app=web' });
  d.list('all', '10', [pod('a', { rv: '10', labels: { app: 'web' } })]);
  d.list('web', '10', [pod('a', { rv: '10', labels: { app: 'web' } })]);
  return d;
}

describe('watch events never regress an object', () => {
  it('ignores an older version that arrives after a newer one from another watch', () => {
    const d = synced();
    d.events('all', ['MODIFIED', pod('a', { rv: '12', labels: { app: 'web' }, phase: 'Running' })]);
    const newest = d.object('uid-a');
    d.events('web', ['MODIFIED', pod('a', { rv: '11', labels: { app: 'web' }, phase: 'Pending' })]);
    expect(d.object('uid-a')).toBe(newest);
    expect(d.names('all')).toEqual(['default/a@12']);
    expect(d.names('web')).toEqual(['default/a@12']);
  });

  it('keeps the held object (and its identity) on a duplicate event', () => {
    const d = synced();
    d.events('all', ['MODIFIED', pod('a', { rv: '12', labels: { app: 'web' } })]);
    const held = d.object('uid-a');
    const items = d.items('all');
    d.events('all', ['MODIFIED', pod('a', { rv: '12', labels: { app: 'web' } })]);
    d.events('web', ['MODIFIED', pod('a', { rv: '12', labels: { app: 'web' } })]);
    expect(d.object('uid-a')).toBe(held);
    expect(d.items('all')).toBe(items);
  });

  it('compares resourceVersions as integers, not as strings', () => {
    const d = new StoreDriver().watch('all').query('q', 'all');
    d.list('all', '99', [pod('a', { rv: '99' })]);
    d.events('all', ['MODIFIED', pod('a', { rv: '100', phase: 'Running' })]);
    expect(d.names('q')).toEqual(['default/a@100']);
    // "99" > "100" as strings; as integers it is older.
    d.events('all', ['MODIFIED', pod('a', { rv: '99', phase: 'Pending' })]);
    expect(d.names('q')).toEqual(['default/a@100']);
    expect(d.state.reflectors.all!.resourceVersion).toBe('100');
  });

  it('orders versions that are not integers by arrival: the later one wins', () => {
    const d = new StoreDriver().watch('all').query('q', 'all');
    d.list('all', 'x1', [pod('a', { rv: 'x1' })]);
    d.events('all', ['MODIFIED', pod('a', { rv: 'b7', phase: 'Running' })]);
    expect(d.names('q')).toEqual(['default/a@b7']);
    d.events('all', ['MODIFIED', pod('a', { rv: 'a3', phase: 'Succeeded' })]);
    expect(d.names('q')).toEqual(['default/a@a3']);
    expect(d.state.reflectors.all!.resourceVersion).toBe('a3');
  });

  it('does not bring back an object its watch deleted when a stale event of it is replayed', () => {
    const d = new StoreDriver().watch('all').query('q', 'all');
    d.list('all', '10', [pod('a', { rv: '10' })]);
    d.events('all', ['MODIFIED', pod('a', { rv: '11' })], ['DELETED', pod('a', { rv: '12' })]);
    expect(d.names('q')).toEqual([]);
    // The same watch replays older events (a duplicate delivery): the object stays deleted.
    d.events('all', ['MODIFIED', pod('a', { rv: '11' })]);
    d.events('all', ['ADDED', pod('a', { rv: '10' })]);
    expect(d.names('q')).toEqual([]);
    expect(objectCount(d.state)).toBe(0);
  });

  it('does not drop an object its watch holds on a stale DELETED of an older version', () => {
    const d = new StoreDriver().watch('all').query('q', 'all');
    d.list('all', '10', [pod('a', { rv: '8' })]);
    d.events('all', ['MODIFIED', pod('a', { rv: '14' })]);
    d.events('all', ['DELETED', pod('a', { rv: '9' })]);
    expect(d.names('q')).toEqual(['default/a@14']);
  });

  it('takes the events of one batch in order: a later delete wins over an earlier add', () => {
    const d = new StoreDriver().watch('all').query('q', 'all');
    d.list('all', '10', []);
    d.events(
      'all',
      ['ADDED', pod('a', { rv: '11' })],
      ['MODIFIED', pod('a', { rv: '12' })],
      ['DELETED', pod('a', { rv: '13' })],
      ['ADDED', pod('b', { rv: '14' })],
    );
    expect(d.names('q')).toEqual(['default/b@14']);
    expect(d.state.reflectors.all!.resourceVersion).toBe('14');
    expect(d.state.reflectors.all!.counters.events).toBe(4);
  });

  it('treats delete and recreate under a new uid as two objects', () => {
    const d = new StoreDriver().watch('all').query('q', 'all');
    d.list('all', '10', [pod('a', { uid: 'u1', rv: '10' })]);
    const first = d.object('u1');
    d.events(
      'all',
      ['DELETED', pod('a', { uid: 'u1', rv: '11' })],
      ['ADDED', pod('a', { uid: 'u2', rv: '12' })],
    );
    expect(d.object('u1')).toBeUndefined();
    expect(d.items('q').map((o) => o.metadata?.uid)).toEqual(['u2']);
    expect(d.items('q')[0]).not.toBe(first);
    // Recreated before the delete arrives: both show, ordered by uid, until the delete comes.
    d.events('all', ['ADDED', pod('a', { uid: 'u0', rv: '13' })]);
    expect(d.items('q').map((o) => o.metadata?.uid)).toEqual(['u0', 'u2']);
  });

  it('ignores events without a uid and counts bookmarks', () => {
    const d = new StoreDriver().watch('all').query('q', 'all');
    d.list('all', '10', []);
    const noUid = pod('a', { rv: '11' });
    delete noUid.metadata!.uid;
    d.events('all', ['ADDED', noUid]).bookmark('all', '15');
    expect(d.names('q')).toEqual([]);
    expect(d.state.reflectors.all!.counters.bookmarks).toBe(1);
    expect(d.state.reflectors.all!.resourceVersion).toBe('15');
  });

  it('never moves a watch back to an older resourceVersion', () => {
    const d = new StoreDriver().watch('all').query('q', 'all');
    d.list('all', '10', []);
    d.bookmark('all', '20').bookmark('all', '15');
    expect(d.state.reflectors.all!.resourceVersion).toBe('20');
  });
});
