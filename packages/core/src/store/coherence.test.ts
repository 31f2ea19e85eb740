import { describe, expect, it } from 'vitest';
import { pod, StoreDriver } from './__fixtures__/store.js';
import * as actions from './actions.js';
import { objectCount } from './stored-object.js';

/** Two watches of Pods: `web` (app=web, all namespaces) and `ns1` (namespace ns1, tier=fe). */
function twoWatches() {
  const d = new StoreDriver()
    .watch('web', { labelSelector: 'app=web' })
    .watch('ns1', { namespace: 'ns1', labelSelector: 'tier=fe' })
    .query('web', 'web', { labelSelector: 'app=web' })
    .query('ns1', 'ns1', { namespace: 'ns1', labelSelector: 'tier=fe' });
  d.list('web', '10', []).list('ns1', '10', []);
  return d;
}

describe('a local write (read/write coherence)', () => {
  it('shows in every matching query before the watch delivers it', () => {
    const d = twoWatches();
    const created = pod('a', { namespace: 'ns1', rv: '11', labels: { app: 'web', tier: 'fe' } });
    d.write(created, 'create');
    expect(d.names('web')).toEqual(['ns1/a@11']);
    expect(d.names('ns1')).toEqual(['ns1/a@11']);
    expect(d.items('web')[0]).toBe(d.items('ns1')[0]);
    expect(d.pending()).toEqual({ 'uid-a': 'Pod' });
  });

  it('does not join a query whose namespace it does not match', () => {
    const d = twoWatches();
    d.write(pod('a', { namespace: 'ns2', rv: '11', labels: { app: 'web', tier: 'fe' } }));
    expect(d.names('web')).toEqual(['ns2/a@11']);
    expect(d.names('ns1')).toEqual([]);
  });

  it('does not join a query whose label selector it does not match', () => {
    const d = twoWatches();
    d.write(pod('a', { namespace: 'ns1', rv: '11', labels: { app: 'db', tier: 'fe' } }));
    expect(d.names('web')).toEqual([]);
    expect(d.names('ns1')).toEqual(['ns1/a@11']);
  });

  it('does not join a query whose field selector it does not match', () => {
    const d = new StoreDriver()
      .watch('running', { fieldSelector: 'status.phase=Running' })
      .query('running', 'running', { fieldSelector: 'status.phase=Running' });
    d.list('running', '10', []);
    d.write(pod('a', { rv: '11', phase: 'Pending' }));
    expect(d.names('running')).toEqual([]);
    d.write(pod('b', { rv: '12', phase: 'Running' }));
    expect(d.names('running')).toEqual(['default/b@12']);
  });

  it('is kept until every watch of its kind reaches its resourceVersion, never earlier', () => {
    const d = twoWatches();
    d.write(pod('a', { namespace: 'ns1', rv: '15', labels: { app: 'web', tier: 'fe' } }));
    // Events and bookmarks below 15 do not release it.
    d.events('web', ['ADDED', pod('b', { rv: '12', labels: { app: 'web' } })]).bookmark('ns1', '14');
    expect(d.pending()).toEqual({ 'uid-a': 'Pod' });
    expect(d.names('ns1')).toEqual(['ns1/a@15']);
    expect(d.names('web')).toEqual(['default/b@12', 'ns1/a@15']);
    // One watch delivers it; the other has not reached 15 yet.
    d.events('web', ['ADDED', pod('a', { namespace: 'ns1', rv: '15', labels: { app: 'web', tier: 'fe' } })]);
    expect(d.pending()).toEqual({ 'uid-a': 'Pod' });
    expect(d.names('ns1')).toEqual(['ns1/a@15']);
    // A bookmark at 15 of the second watch, which (impossibly) did not deliver it, releases it: the
    // watch is the authority once it has passed the write.
    d.bookmark('ns1', '15');
    expect(d.pending()).toEqual({});
    expect(d.names('ns1')).toEqual([]);
    expect(d.names('web')).toEqual(['default/b@12', 'ns1/a@15']);
  });

  it('is released when the watch delivers it, and the query keeps the object', () => {
    const d = twoWatches();
    const written = pod('a', { namespace: 'ns1', rv: '11', labels: { app: 'web', tier: 'fe' } });
    d.write(written);
    const shown = d.items('web')[0];
    d.events('web', ['ADDED', structuredClone(written)]).events('ns1', ['ADDED', structuredClone(written)]);
    expect(d.pending()).toEqual({});
    expect(d.names('web')).toEqual(['ns1/a@11']);
    expect(d.names('ns1')).toEqual(['ns1/a@11']);
    // The watch's copy of the same version does not replace the one already shown.
    expect(d.items('web')[0]).toBe(shown);
  });

  it('is not regressed by a late, older watch event', () => {
    const d = twoWatches();
    d.events('web', ['ADDED', pod('a', { rv: '11', labels: { app: 'web' }, phase: 'Pending' })]);
    d.write(pod('a', { rv: '13', labels: { app: 'web' }, phase: 'Running' }));
    d.events('web', ['MODIFIED', pod('a', { rv: '12', labels: { app: 'web' }, phase: 'Failed' })]);
    expect(d.names('web')).toEqual(['default/a@13']);
    expect(d.items('web')[0]?.status?.phase).toBe('Running');
    // Still so once the write is released by both watches.
    d.bookmark('web', '13').bookmark('ns1', '13');
    expect(d.pending()).toEqual({});
    d.events('web', ['MODIFIED', pod('a', { rv: '12', labels: { app: 'web' }, phase: 'Failed' })]);
    expect(d.names('web')).toEqual(['default/a@13']);
  });

  it('is ignored when it is older than what the store holds (a late response)', () => {
    const d = twoWatches();
    d.events('web', ['ADDED', pod('a', { rv: '14', labels: { app: 'web' }, phase: 'Running' })]);
    d.write(pod('a', { rv: '12', labels: { app: 'web' }, phase: 'Pending' }));
    expect(d.names('web')).toEqual(['default/a@14']);
    expect(d.pending()).toEqual({});
  });

  it('of an object that then leaves a label selector disappears from that query', () => {
    const d = twoWatches();
    d.write(pod('a', { namespace: 'ns1', rv: '11', labels: { app: 'web', tier: 'fe' } }));
    expect(d.names('web')).toEqual(['ns1/a@11']);
    // A second write changes its label: it leaves `web`, before any watch says so.
    d.write(pod('a', { namespace: 'ns1', rv: '12', labels: { app: 'db', tier: 'fe' } }));
    expect(d.names('web')).toEqual([]);
    expect(d.names('ns1')).toEqual(['ns1/a@12']);
    // The web watch delivers the history; the object stays out of it.
    d.events('web', ['ADDED', pod('a', { namespace: 'ns1', rv: '11', labels: { app: 'web', tier: 'fe' } })]);
    expect(d.names('web')).toEqual([]);
    d.events('web', ['DELETED', pod('a', { namespace: 'ns1', rv: '12', labels: { app: 'db', tier: 'fe' } })]);
    expect(d.names('web')).toEqual([]);
  });

  it('of an object that leaves a label selector through its watch disappears from that query', () => {
    const d = twoWatches();
    d.write(pod('a', { rv: '11', labels: { app: 'web' } }));
    d.events('web', ['DELETED', pod('a', { rv: '12', labels: { app: 'db' } })]);
    expect(d.names('web')).toEqual([]);
  });

  it('leaves a query whose watch lists past it without it, while another watch still lags', () => {
    const d = twoWatches();
    d.write(pod('a', { namespace: 'ns1', rv: '11', labels: { app: 'web', tier: 'fe' } }));
    // Someone else changes its label at 12; the web watch relists at 12 and does not have it.
    d.list('web', '12', []);
    expect(d.pending()).toEqual({ 'uid-a': 'Pod' });
    expect(d.names('web')).toEqual([]);
    expect(d.names('ns1')).toEqual(['ns1/a@11']);
  });

  it('leaves a query whose watch was removed under it', () => {
    const d = twoWatches();
    d.write(pod('a', { namespace: 'ns1', rv: '11', labels: { app: 'web', tier: 'fe' } }));
    d.store.dispatch(actions.reflectorRemoved({ key: 'web' }));
    expect(d.names('web')).toEqual([]);
    expect(d.names('ns1')).toEqual(['ns1/a@11']);
  });

  it('of a new object is visible to a query bound afterwards', () => {
    const d = twoWatches();
    d.write(pod('a', { namespace: 'ns1', rv: '11', labels: { app: 'web', tier: 'fe' } }));
    d.query('late', 'web', { labelSelector: 'app=web' });
    expect(d.names('late')).toEqual(['ns1/a@11']);
    expect(d.items('late')[0]).toBe(d.items('web')[0]);
  });

  it('is dropped when no watch of its kind exists', () => {
    const d = new StoreDriver();
    d.write(pod('a', { rv: '11' }));
    expect(objectCount(d.state)).toBe(0);
    expect(d.pending()).toEqual({});
  });
});

describe('a local delete', () => {
  function withA() {
    const d = twoWatches();
    const a = pod('a', { namespace: 'ns1', rv: '11', labels: { app: 'web', tier: 'fe' } });
    d.events('web', ['ADDED', a]).events('ns1', ['ADDED', a]);
    return d;
  }

  it('hides the object from every query until the watches confirm it', () => {
    const d = withA();
    d.deleted(pod('a', { namespace: 'ns1', rv: '12', labels: { app: 'web', tier: 'fe' } }));
    expect(d.names('web')).toEqual([]);
    expect(d.names('ns1')).toEqual([]);
    expect(d.pending()).toEqual({ 'uid-a': 'Pod' });
    d.events('web', [
      'DELETED',
      pod('a', { namespace: 'ns1', rv: '12', labels: { app: 'web', tier: 'fe' } }),
    ]);
    expect(d.names('ns1')).toEqual([]);
    d.events('ns1', [
      'DELETED',
      pod('a', { namespace: 'ns1', rv: '12', labels: { app: 'web', tier: 'fe' } }),
    ]);
    expect(d.pending()).toEqual({});
    expect(objectCount(d.state)).toBe(0);
  });

  it('cannot be undone by a late MODIFIED', () => {
    const d = withA();
    d.deleted(pod('a', { namespace: 'ns1', rv: '13', labels: { app: 'web', tier: 'fe' } }));
    // A modification before the delete arrives late on one watch.
    d.events('web', [
      'MODIFIED',
      pod('a', { namespace: 'ns1', rv: '12', labels: { app: 'web', tier: 'fe' } }),
    ]);
    expect(d.names('web')).toEqual([]);
    expect(d.names('ns1')).toEqual([]);
    // The watches confirm; a replayed MODIFIED after that cannot bring it back either.
    const gone = pod('a', { namespace: 'ns1', rv: '13', labels: { app: 'web', tier: 'fe' } });
    d.events('web', ['DELETED', gone]).events('ns1', ['DELETED', gone]);
    d.events('web', [
      'MODIFIED',
      pod('a', { namespace: 'ns1', rv: '12', labels: { app: 'web', tier: 'fe' } }),
    ]);
    expect(d.names('web')).toEqual([]);
    expect(objectCount(d.state)).toBe(0);
  });

  it('then a recreate under a new uid shows the new object only', () => {
    const d = withA();
    d.deleted(pod('a', { namespace: 'ns1', rv: '12', labels: { app: 'web', tier: 'fe' } }));
    d.write(
      pod('a', { uid: 'uid-a2', namespace: 'ns1', rv: '13', labels: { app: 'web', tier: 'fe' } }),
      'create',
    );
    expect(d.items('web').map((o) => o.metadata?.uid)).toEqual(['uid-a2']);
    expect(d.items('ns1').map((o) => o.metadata?.uid)).toEqual(['uid-a2']);
    // The watches deliver both; the old uid never comes back.
    d.events(
      'web',
      ['DELETED', pod('a', { namespace: 'ns1', rv: '12', labels: { app: 'web', tier: 'fe' } })],
      ['ADDED', pod('a', { uid: 'uid-a2', namespace: 'ns1', rv: '13', labels: { app: 'web', tier: 'fe' } })],
    );
    d.events(
      'ns1',
      ['DELETED', pod('a', { namespace: 'ns1', rv: '12', labels: { app: 'web', tier: 'fe' } })],
      ['ADDED', pod('a', { uid: 'uid-a2', namespace: 'ns1', rv: '13', labels: { app: 'web', tier: 'fe' } })],
    );
    expect(d.items('web').map((o) => o.metadata?.uid)).toEqual(['uid-a2']);
    expect(d.pending()).toEqual({});
  });
});

describe('a delete answered with a Status (no resourceVersion)', () => {
  const a = (rv: string) => pod('a', { namespace: 'ns1', rv, labels: { app: 'web', tier: 'fe' } });

  it('hides the object at once, and a lagging watch cannot bring it back before its DELETED', () => {
    const d = twoWatches();
    d.write(a('11'), 'create').write(a('12'), 'patch').deletedWithStatus('a', 'ns1');
    expect(d.names('web')).toEqual([]);
    expect(d.names('ns1')).toEqual([]);
    // The watches lag: ADDED and MODIFIED arrive after the delete, at versions the store cannot
    // order against a deletion without one. Arrival order would rank them newer.
    d.events('web', ['ADDED', a('11')], ['MODIFIED', a('12')]).events('ns1', ['ADDED', a('11')]);
    d.bookmark('web', '12').bookmark('ns1', '12');
    expect(d.names('web')).toEqual([]);
    expect(d.names('ns1')).toEqual([]);
    expect(d.pending()).toEqual({ 'uid-a': 'Pod' });
    // Both watches have selectors: their DELETED may be an earlier leave, so it gives no version.
    d.events('web', ['DELETED', a('13')]);
    expect(d.names('ns1')).toEqual([]);
    d.events('ns1', ['MODIFIED', a('12')], ['DELETED', a('13')]);
    expect(d.pending()).toEqual({ 'uid-a': 'Pod' });
    // The client's consistent list does; both watches have passed it, so it is gone.
    d.deletionVersion('13', 'uid-a');
    expect(d.pending()).toEqual({});
    expect(objectCount(d.state)).toBe(0);
  });

  it("keeps the client's deletion until a watch without selectors dates it, whatever a selector's DELETED says", () => {
    const d = new StoreDriver()
      .watch('web', { labelSelector: 'app=web' })
      .watch('ns1', { namespace: 'ns1' })
      .query('ns1', 'ns1', { namespace: 'ns1' });
    d.list('web', '10', []).list('ns1', '10', []);
    const at = (rv: string, app: string) => pod('a', { namespace: 'ns1', rv, labels: { app } });
    d.events('web', ['ADDED', at('11', 'web')]).events('ns1', ['ADDED', at('11', 'web')]);
    // Relabelled at 12 (it left app=web), then deleted by this client at 13; both watches lag.
    d.deletedWithStatus('a', 'ns1');
    // web's DELETED at 12 is the leave, in the same form as a deletion: it must not date the
    // client's deletion at 12, or ns1's MODIFIED at 12 would show the object again.
    d.events('web', ['DELETED', at('12', 'web')]);
    d.events('ns1', ['MODIFIED', at('12', 'db')]);
    expect(d.names('ns1')).toEqual([]);
    // ns1 has no selectors: its DELETED is the deletion's own, and dates it.
    d.events('ns1', ['DELETED', at('13', 'db')]);
    expect(d.pending()).toEqual({ 'uid-a': 'Pod' });
    d.bookmark('web', '13');
    expect(d.pending()).toEqual({});
    expect(d.names('ns1')).toEqual([]);
  });

  it('ignores a write response of that uid that arrives after it', () => {
    const d = twoWatches();
    d.events('web', ['ADDED', a('11')]).events('ns1', ['ADDED', a('11')]);
    d.deletedWithStatus('a', 'ns1');
    // A patch sent before the delete, answered after it.
    d.write(a('12'), 'patch');
    expect(d.names('web')).toEqual([]);
    expect(d.names('ns1')).toEqual([]);
  });

  it('hides an object the store has not seen yet, when the watches deliver its creation later', () => {
    const d = twoWatches();
    d.deletedWithStatus('a', 'ns1');
    expect(d.pending()).toEqual({ 'uid-a': 'Pod' });
    d.events('web', ['ADDED', a('11')]).events('ns1', ['ADDED', a('11')]);
    expect(d.names('web')).toEqual([]);
    expect(d.names('ns1')).toEqual([]);
  });

  it('is released by the version of a consistent list when no watch ever held the object', () => {
    const d = twoWatches();
    // Matches neither watch: no DELETED will come; only the client's list gives a version.
    const db = pod('db', { namespace: 'ns2', rv: '11', labels: { app: 'db' } });
    d.write(db, 'create').deletedWithStatus('db', 'ns2');
    d.bookmark('web', '20').bookmark('ns1', '20');
    expect(d.pending()).toEqual({ 'uid-db': 'Pod' });
    d.deletionVersion('21', 'uid-db');
    // The watch of ns1 can never deliver an object of ns2: only 'web' (every namespace) is waited for.
    d.bookmark('web', '21');
    expect(d.pending()).toEqual({});
    expect(objectCount(d.state)).toBe(0);
  });

  it("takes the DELETED event's version over a later one learnt from a list, from watches without selectors", () => {
    const d = new StoreDriver().watch('all', {}).watch('ns1', { namespace: 'ns1' });
    d.list('all', '10', []).list('ns1', '10', []);
    d.events('all', ['ADDED', a('11')]).events('ns1', ['ADDED', a('11')]);
    d.deletedWithStatus('a', 'ns1').deletionVersion('30', 'uid-a');
    d.events('all', ['DELETED', a('12')]).events('ns1', ['DELETED', a('12')]);
    expect(d.pending()).toEqual({});
    expect(objectCount(d.state)).toBe(0);
  });
});

describe('two watches of one kind that lag each other', () => {
  it('hide an object from every query once one watch has seen it deleted, and a late write response does not bring it back', () => {
    const d = twoWatches();
    const a = (rv: string) => pod('a', { namespace: 'ns1', rv, labels: { app: 'web', tier: 'fe' } });
    d.events('web', ['ADDED', a('11')]).events('ns1', ['ADDED', a('11')]);
    // `web` sees the delete; `ns1` lags and still holds the object.
    d.events('web', ['DELETED', a('13')]);
    expect(d.names('web')).toEqual([]);
    expect(d.names('ns1')).toEqual([]);
    // The response to a write made before the delete arrives late: ignored.
    d.write(a('12'));
    expect(d.names('ns1')).toEqual([]);
    expect(d.pending()).toEqual({ 'uid-a': 'Pod' });
    // The lagging watch catches up: nothing is left.
    d.events('ns1', ['MODIFIED', a('12')], ['DELETED', a('13')]);
    expect(d.names('ns1')).toEqual([]);
    expect(d.pending()).toEqual({});
    expect(d.object('uid-a')).toBeUndefined();
  });

  it("treat a DELETED of an object that left a watch's selector as leaving, not as a deletion", () => {
    const d = twoWatches();
    const a = (rv: string, app: string) => pod('a', { namespace: 'ns1', rv, labels: { app, tier: 'fe' } });
    d.events('web', ['ADDED', a('11', 'web')]).events('ns1', ['ADDED', a('11', 'web')]);
    d.events('web', ['DELETED', a('12', 'db')]);
    expect(d.names('ns1')).toEqual(['ns1/a@12']);
    expect(d.pending()).toEqual({});
  });

  it('treat a DELETED carrying the last state that matched (as API servers send it) of an object another watch shows alive as leaving', () => {
    const d = new StoreDriver()
      .watch('red', { labelSelector: 'group in (red,blue)' })
      .watch('ns1', { namespace: 'ns1' })
      .watch('quiet', { namespace: 'ns2' })
      .query('ns1', 'ns1', { namespace: 'ns1' });
    d.list('red', '10', []).list('ns1', '10', []).list('quiet', '10', []);
    const a = (rv: string, group: string) => pod('a', { namespace: 'ns1', rv, labels: { group } });
    d.events('red', ['ADDED', a('11', 'red')]).events('ns1', ['ADDED', a('11', 'red')]);
    // Either order of arrival; `quiet` never reaches 12 (no event, no bookmark).
    d.events('ns1', ['MODIFIED', a('12', 'green')]).events('red', ['DELETED', a('12', 'red')]);
    expect(d.names('ns1')).toEqual(['ns1/a@12']);
    expect(d.object('uid-a')?.metadata?.labels).toEqual({ group: 'green' });
    d.events('red', ['ADDED', a('13', 'blue')]).events('ns1', ['MODIFIED', a('13', 'blue')]);
    d.events('red', ['DELETED', a('14', 'blue')]).events('ns1', ['MODIFIED', a('14', 'green')]);
    expect(d.names('ns1')).toEqual(['ns1/a@14']);
    expect(d.object('uid-a')?.metadata?.labels).toEqual({ group: 'green' });
    expect(d.pending()).toEqual({});
  });

  it("show the client's write of an object a watch saw leave, though the watch that still holds it lags", () => {
    const d = new StoreDriver()
      .watch('red', { labelSelector: 'group=red' })
      .watch('ns1', { namespace: 'ns1' })
      .query('red', 'red', { labelSelector: 'group=red' });
    d.list('red', '10', []).list('ns1', '10', []);
    const a = (rv: string, group: string) => pod('a', { namespace: 'ns1', rv, labels: { group } });
    d.events('red', ['ADDED', a('11', 'red')]).events('ns1', ['ADDED', a('11', 'red')]);
    // Moved to green at 12 (ns1 has not delivered it yet), then back to red by this client at 13.
    d.events('red', ['DELETED', a('12', 'red')]);
    d.write(a('13', 'red'));
    expect(d.names('red')).toEqual(['ns1/a@13']);
  });

  it("keep the client's own delete final when a watch had seen the object leave before it", () => {
    const d = new StoreDriver()
      .watch('a', { labelSelector: 'app=a' })
      .watch('ns1', { namespace: 'ns1', labelSelector: 'app in (a,b)' })
      .query('ns1', 'ns1', { namespace: 'ns1', labelSelector: 'app in (a,b)' });
    d.list('a', '10', []).list('ns1', '10', []);
    const at = (rv: string, app: string) => pod('p', { namespace: 'ns1', rv, labels: { app } });
    // Relabelled a -> b at 12: watch `a` sends its DELETED (the last state that matched).
    d.events('a', ['ADDED', at('11', 'a')], ['DELETED', at('12', 'a')]);
    // This client deletes it at 13, answered with the object: the deletion is the client's now.
    d.deleted(at('13', 'b'));
    // ns1 lags: its MODIFIED at 12 shows the object alive after the leave, not after the delete.
    d.events('ns1', ['ADDED', at('11', 'a')], ['MODIFIED', at('12', 'b')]);
    expect(d.names('ns1')).toEqual([]);
  });

  it('still hide an object a watch saw deleted while another watch lags', () => {
    const d = new StoreDriver()
      .watch('red', { labelSelector: 'group=red' })
      .watch('ns1', { namespace: 'ns1' })
      .query('ns1', 'ns1', { namespace: 'ns1' });
    d.list('red', '10', []).list('ns1', '10', []);
    const a = (rv: string) => pod('a', { namespace: 'ns1', rv, labels: { group: 'red' } });
    d.events('red', ['ADDED', a('11')]).events('ns1', ['ADDED', a('11')]);
    d.events('red', ['DELETED', a('12')]);
    expect(d.names('ns1')).toEqual([]);
    d.events('ns1', ['DELETED', a('12')]);
    expect(d.names('ns1')).toEqual([]);
    expect(d.pending()).toEqual({});
  });

  it('never show an older version of an object than one already shown, when the watch that held it lets go first', () => {
    const d = new StoreDriver()
      .watch('web', { labelSelector: 'app=web' })
      .watch('fe', { labelSelector: 'tier=fe' })
      .query('fe', 'fe', { labelSelector: 'tier=fe' });
    d.list('web', '10', []).list('fe', '10', []);
    const a = (rv: string, labels: Record<string, string>) => pod('a', { rv, labels });
    // `web` sees a at 11 and then leaving at 13 (tier=fe, app gone); `fe` lags at 10.
    d.events('web', ['ADDED', a('11', { app: 'web' })], ['DELETED', a('13', { tier: 'fe' })]);
    expect(d.names('fe')).toEqual([]);
    // `fe` delivers an older version (12) it saw on its way: the store keeps 13.
    d.events('fe', ['ADDED', a('12', { app: 'web', tier: 'fe' })]);
    expect(d.names('fe')).toEqual(['default/a@13']);
    d.events('fe', ['MODIFIED', a('13', { tier: 'fe' })]);
    expect(d.names('fe')).toEqual(['default/a@13']);
    expect(d.pending()).toEqual({});
  });
});

describe('a watch of another namespace', () => {
  // Two namespaces, one watch each; ns2 is quiet: no events, and no bookmarks (the watch cache off).
  const perNamespace = () => {
    const d = new StoreDriver()
      .watch('ns1', { namespace: 'ns1' })
      .watch('ns2', { namespace: 'ns2' })
      .query('ns1', 'ns1', { namespace: 'ns1' })
      .query('ns2', 'ns2', { namespace: 'ns2' });
    d.list('ns1', '10', [pod('a', { namespace: 'ns1', rv: '9' })]).list('ns2', '10', []);
    return d;
  };

  it('lets go of a deletion once the watches that can hold the object pass it, whatever a quiet watch of another namespace has reached', () => {
    const d = perNamespace();
    d.deleted(pod('a', { namespace: 'ns1', rv: '12' }));
    expect(d.names('ns1')).toEqual([]);
    expect(d.pending()).toEqual({ 'uid-a': 'Pod' });
    d.events('ns1', ['DELETED', pod('a', { namespace: 'ns1', rv: '12' })]);
    expect(d.pending()).toEqual({});
    expect(objectCount(d.state)).toBe(0);
    expect(d.names('ns1')).toEqual([]);
  });

  it('releases a write once the watch of its namespace delivers it, and never shows it in the other namespace', () => {
    const d = perNamespace();
    d.write(pod('a', { namespace: 'ns1', rv: '13', labels: { v: '2' } }));
    expect(d.names('ns1')).toEqual(['ns1/a@13']);
    expect(d.pending()).toEqual({ 'uid-a': 'Pod' });
    d.events('ns1', ['MODIFIED', pod('a', { namespace: 'ns1', rv: '13', labels: { v: '2' } })]);
    expect(d.pending()).toEqual({});
    expect(d.names('ns1')).toEqual(['ns1/a@13']);
    expect(d.names('ns2')).toEqual([]);
  });

  it("ignores a write its namespace's watch has already passed, however far behind the other namespace is", () => {
    const d = perNamespace();
    d.events('ns1', ['MODIFIED', pod('a', { namespace: 'ns1', rv: '14' })]);
    d.write(pod('a', { namespace: 'ns1', rv: '14' }));
    expect(d.pending()).toEqual({});
    expect(d.names('ns1')).toEqual(['ns1/a@14']);
  });
});
