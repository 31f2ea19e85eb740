import { describe, expect, it } from 'vitest';
import { pod } from '../store/__fixtures__/store.js';
import * as actions from '../store/actions.js';
import { forbidden, TestHost } from './__fixtures__/host.js';
import { createAccumulator } from './accumulator.js';

describe('status()', () => {
  it('reports each query through resolving, listing, synced, relisting and backing off', async () => {
    const host = new TestHost();
    const acc = createAccumulator(host, [{ name: 'pods', kind: 'pods' }]);
    expect(acc.status().pods).toMatchObject({
      name: 'pods',
      kind: 'pods',
      phase: 'resolving',
      synced: false,
    });
    await host.settled();
    expect(acc.status().pods).toMatchObject({ phase: 'listing', synced: false });
    host.list(acc, 'pods', '10', [pod('a', { rv: '10' })]);
    expect(acc.status().pods).toMatchObject({
      phase: 'synced',
      synced: true,
      resourceVersion: '10',
      count: 1,
    });
    const key = host.keyOf(acc, 'pods');
    host.store.dispatch(actions.listStarted({ key }));
    expect(acc.status().pods).toMatchObject({ phase: 'relisting', synced: true });
    host.store.dispatch(actions.listCompleted({ key, resourceVersion: '20' }));
    const error = {
      message: 'watch of pods: connection reset; retrying in 1.6 s',
      at: new Date(0).toISOString(),
    };
    host.store.dispatch(
      actions.reflectorStatus({
        key,
        phase: 'backing-off',
        error,
        attempt: 2,
        retryAt: new Date(1600).toISOString(),
      }),
    );
    expect(acc.status().pods).toMatchObject({
      phase: 'backing-off',
      synced: true,
      error,
      attempt: 2,
      count: 0,
    });
    host.store.dispatch(actions.reflectorStatus({ key, phase: 'forbidden', error: { ...error, code: 403 } }));
    expect(acc.status().pods).toMatchObject({ phase: 'forbidden', error: { code: 403 } });
    acc.close();
  });

  it('reports unserved, forbidden and error queries with a message naming the query and kind', async () => {
    const host = new TestHost();
    host.failures.set('svc', forbidden('services is forbidden: User "nobody" cannot list'));
    host.failures.set('deploy', new Error('connection refused'));
    const acc = createAccumulator(host, [
      { name: 'm', kind: 'Mapping' },
      { name: 's', kind: 'svc' },
      { name: 'd', kind: 'deploy' },
    ]);
    await host.settled();
    const st = acc.status();
    expect(st.m).toMatchObject({ phase: 'unserved', synced: false });
    expect(st.s).toMatchObject({ phase: 'forbidden', error: { code: 403 } });
    expect(st.s?.error?.message).toMatch(/^query "s": resolving kind "svc" failed: services is forbidden/);
    expect(st.d).toMatchObject({ phase: 'error' });
    expect(st.d?.error?.message).toBe(
      'query "d": resolving kind "deploy" failed: connection refused; retrying',
    );
    acc.close();
  });

  it('counts events, bookmarks and poison lines of the watch', async () => {
    const host = new TestHost();
    const acc = createAccumulator(host, [{ name: 'pods', kind: 'pods' }]);
    await host.settled();
    host.list(acc, 'pods', '10');
    const key = host.keyOf(acc, 'pods');
    host.events(acc, 'pods', ['ADDED', pod('a', { rv: '11' })], ['MODIFIED', pod('a', { rv: '12' })]);
    host.store.dispatch(
      actions.watchEvents({
        key,
        events: [{ type: 'BOOKMARK', object: { metadata: { resourceVersion: '15' } } }],
      }),
    );
    host.store.dispatch(actions.poisonLine({ key, text: '{"type":"ADDED","object":' }));
    expect(acc.status().pods).toMatchObject({
      resourceVersion: '15',
      counters: { events: 2, bookmarks: 1, poisonLines: 1, relists: 0, reconnects: 0 },
      lastPoisonLine: '{"type":"ADDED","object":',
    });
    acc.close();
  });
});
