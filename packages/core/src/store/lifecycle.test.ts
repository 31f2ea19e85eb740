import { describe, expect, it } from 'vitest';
import { pod, StoreDriver } from './__fixtures__/store.js';
import * as actions from './actions.js';
import { initialKatesState, katesReducer } from './reducer.js';
import { objectCount } from './stored-object.js';

describe('the lifecycle of watches and queries', () => {
  it('reports a query as resolving, then listing, then synced', () => {
    const d = new StoreDriver().watch('all');
    d.store.dispatch(
      actions.queryAdded({
        id: 'q',
        accumulator: 'acc',
        name: 'pods',
        kind: 'pods',
        labelSelector: '',
        fieldSelector: '',
      }),
    );
    const status = () => d.selectors.selectQueryStatus('q')(d.store.getState());
    expect(status()?.phase).toBe('resolving');
    d.store.dispatch(actions.queryBound({ id: 'q', groupKind: 'Pod', watchKey: 'all' }));
    expect(status()).toMatchObject({ phase: 'listing', synced: false });
    d.list('all', '7', [pod('a', { rv: '7' })]);
    expect(status()).toMatchObject({
      name: 'pods',
      kind: 'pods',
      phase: 'synced',
      synced: true,
      resourceVersion: '7',
      count: 1,
    });
  });

  it('reports backing off with the error and retry time, and clears them on recovery', () => {
    const d = new StoreDriver().watch('all').query('q', 'all');
    d.list('all', '7', []);
    const error = { message: 'connection reset', reason: 'ECONNRESET', at: '2024-01-01T00:00:00Z' };
    d.store.dispatch(
      actions.reflectorStatus({
        key: 'all',
        phase: 'backing-off',
        error,
        attempt: 2,
        retryAt: '2024-01-01T00:00:01Z',
        count: 'reconnects',
      }),
    );
    const status = () => d.selectors.selectQueryStatus('q')(d.store.getState())!;
    expect(status()).toMatchObject({
      phase: 'backing-off',
      synced: true,
      error,
      attempt: 2,
      retryAt: '2024-01-01T00:00:01Z',
    });
    expect(status().counters.reconnects).toBe(1);
    d.store.dispatch(
      actions.reflectorStatus({ key: 'all', phase: 'watching', error: null, attempt: 0, retryAt: null }),
    );
    expect(status().phase).toBe('synced');
    expect(status().error).toBeUndefined();
    expect(status().retryAt).toBeUndefined();
    expect(status().attempt).toBe(0);
  });

  it('counts poison lines and keeps the last one, cut short', () => {
    const d = new StoreDriver().watch('all').query('q', 'all');
    d.store.dispatch(actions.poisonLine({ key: 'all', text: 'x'.repeat(500) }));
    d.store.dispatch(actions.poisonLine({ key: 'all', text: 'not json' }));
    const st = d.selectors.selectQueryStatus('q')(d.store.getState())!;
    expect(st.counters.poisonLines).toBe(2);
    expect(st.lastPoisonLine).toBe('not json');
    d.store.dispatch(actions.poisonLine({ key: 'all', text: 'y'.repeat(500) }));
    expect(d.state.reflectors.all!.lastPoisonLine).toHaveLength(200);
  });

  it('reports an unserved or forbidden query with its error, and clears it once bound', () => {
    const d = new StoreDriver().watch('all');
    d.store.dispatch(
      actions.queryAdded({
        id: 'q',
        accumulator: 'acc',
        name: 'm',
        kind: 'Mapping',
        labelSelector: '',
        fieldSelector: '',
      }),
    );
    const error = { message: 'query "m": kind "Mapping" is not served', at: '2024-01-01T00:00:00Z' };
    d.store.dispatch(actions.queryFailed({ id: 'q', phase: 'unserved', error }));
    const status = () => d.selectors.selectQueryStatus('q')(d.store.getState())!;
    expect(status()).toMatchObject({ phase: 'unserved', synced: false, error });
    d.store.dispatch(actions.queryFailed({ id: 'q', phase: 'forbidden', error: { ...error, code: 403 } }));
    expect(status()).toMatchObject({ phase: 'forbidden', error: { code: 403 } });
    d.store.dispatch(actions.queryBound({ id: 'q', groupKind: 'Pod', watchKey: 'all' }));
    expect(status().phase).toBe('listing');
    expect(status().error).toBeUndefined();
  });

  it('forgets a removed query and leaves the others alone', () => {
    const d = new StoreDriver().watch('all').query('q1', 'all').query('q2', 'all');
    d.list('all', '3', [pod('a', { rv: '3' })]);
    const q2 = d.state.queries.q2;
    d.store.dispatch(actions.queryRemoved({ id: 'q1' }));
    expect(d.state.queries.q1).toBeUndefined();
    expect(d.state.queries.q2).toBe(q2);
    expect(d.selectors.selectQueryStatus('q1')(d.store.getState())).toBeUndefined();
    expect(d.items('q1')).toEqual([]);
  });

  it('drops the objects of a removed watch that no other watch holds', () => {
    const d = new StoreDriver().watch('web', { labelSelector: 'app=web' }).watch('all').query('all', 'all');
    d.list('web', '3', [pod('a', { rv: '3', labels: { app: 'web' } })]);
    d.list('all', '3', [pod('a', { rv: '3', labels: { app: 'web' } }), pod('b', { rv: '2' })]);
    d.store.dispatch(actions.reflectorRemoved({ key: 'web' }));
    expect(objectCount(d.state)).toBe(2);
    d.store.dispatch(actions.reflectorRemoved({ key: 'all' }));
    expect(objectCount(d.state)).toBe(0);
    expect(d.state.reflectors).toEqual({});
  });

  it('empties a query whose watch was removed under it, rather than keep objects the store dropped', () => {
    const d = new StoreDriver().watch('all').query('q', 'all');
    d.list('all', '3', [pod('a', { rv: '3' })]);
    d.store.dispatch(actions.reflectorRemoved({ key: 'all' }));
    expect(objectCount(d.state)).toBe(0);
    expect(d.items('q')).toEqual([]);
  });

  it('releases local writes when the last watch of their kind goes', () => {
    const d = new StoreDriver().watch('all').query('q', 'all');
    d.list('all', '3', []);
    d.write(pod('a', { rv: '9' }));
    expect(d.pending()).toEqual({ 'uid-a': 'Pod' });
    d.store.dispatch(actions.reflectorRemoved({ key: 'all' }));
    expect(d.pending()).toEqual({});
    expect(objectCount(d.state)).toBe(0);
  });

  it('ignores actions for a watch it does not know and adding a watch twice', () => {
    const d = new StoreDriver().watch('all');
    const before = d.store.getState().kates;
    d.events('nope', ['ADDED', pod('a', { rv: '1' })]);
    d.store.dispatch(actions.listCompleted({ key: 'nope', resourceVersion: '1' }));
    d.store.dispatch(actions.reflectorRemoved({ key: 'nope' }));
    d.store.dispatch(actions.queryBound({ id: 'nope', groupKind: 'Pod', watchKey: 'all' }));
    d.watch('all', { labelSelector: 'app=x' });
    expect(d.store.getState().kates).toBe(before);
  });

  it('replays a recording of its actions into an equal state', () => {
    const recording = [
      actions.reflectorAdded({
        key: 'all',
        groupKind: 'Pod',
        apiVersion: 'v1',
        resource: 'pods',
        labelSelector: '',
        fieldSelector: '',
      }),
      actions.queryAdded({
        id: 'q',
        accumulator: 'acc',
        name: 'pods',
        kind: 'pods',
        labelSelector: '',
        fieldSelector: '',
      }),
      actions.queryBound({ id: 'q', groupKind: 'Pod', watchKey: 'all' }),
      actions.listStarted({ key: 'all' }),
      actions.listPage({ key: 'all', items: [pod('a', { rv: '5' })] }),
      actions.listCompleted({ key: 'all', resourceVersion: '5' }),
      actions.watchEvents({ key: 'all', events: [{ type: 'ADDED', object: pod('b', { rv: '6' }) }] }),
      actions.localWrite({ groupKind: 'Pod', object: pod('c', { rv: '9' }), deleted: false, verb: 'create' }),
    ];
    // Every action is plain data: it survives a JSON round trip unchanged.
    expect(JSON.parse(JSON.stringify(recording))).toEqual(recording);
    const d = new StoreDriver();
    for (const a of recording) d.store.dispatch(a);
    const replayed = JSON.parse(JSON.stringify(recording)).reduce(katesReducer, initialKatesState);
    expect(replayed).toEqual(d.state);
    expect(d.names('q')).toEqual(['default/a@5', 'default/b@6', 'default/c@9']);
  });
});
