import { afterEach, describe, expect, it } from 'vitest';
import { pod } from '../store/__fixtures__/store.js';
import * as actions from '../store/actions.js';
import { TestHost } from './__fixtures__/host.js';
import { type Accumulator, createAccumulator } from './accumulator.js';

describe('subscribe and getSnapshot (for useSyncExternalStore)', () => {
  let acc: Accumulator | undefined;
  afterEach(() => acc?.close());

  async function setup() {
    const host = new TestHost();
    acc = createAccumulator(host, [
      { name: 'pods', kind: 'pods' },
      { name: 'web', kind: 'pods', labelSelector: 'app=web' },
    ]);
    await host.settled();
    host.list(acc, 'pods', '10', [pod('a', { rv: '5' })]);
    host.list(acc, 'web', '10', []);
    return { host, acc };
  }

  it('returns the same snapshot while nothing changes, bookmarks and duplicates included', async () => {
    const { host, acc } = await setup();
    const first = acc.getSnapshot();
    expect(acc.getSnapshot()).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    host.store.dispatch({
      type: 'kates/watchEvents',
      payload: {
        key: host.keyOf(acc, 'pods'),
        events: [{ type: 'BOOKMARK', object: { metadata: { resourceVersion: '50' } } }],
      },
    });
    host.events(acc, 'pods', ['MODIFIED', pod('a', { rv: '5' })]);
    expect(acc.getSnapshot()).toBe(first);
  });

  it('returns a new snapshot when a field changes, keeping the other fields', async () => {
    const { host, acc } = await setup();
    const first = acc.getSnapshot();
    host.events(acc, 'pods', ['ADDED', pod('b', { rv: '11' })]);
    const second = acc.getSnapshot();
    expect(second).not.toBe(first);
    expect(second.pods).toHaveLength(2);
    expect(second.web).toBe(first.web);
  });

  it('calls its listeners on a change, until unsubscribed', async () => {
    const { host, acc } = await setup();
    let calls = 0;
    const unsubscribe = acc.subscribe(() => calls++);
    host.events(acc, 'pods', ['ADDED', pod('b', { rv: '11' })]);
    expect(calls).toBeGreaterThanOrEqual(1);
    const after = calls;
    unsubscribe();
    host.events(acc, 'pods', ['ADDED', pod('c', { rv: '12' })]);
    expect(calls).toBe(after);
  });

  it('tells a listener that subscribes after a status change about the next one', async () => {
    const { host, acc } = await setup();
    const key = host.keyOf(acc, 'pods');
    const error = { message: 'watch of pods: connection reset', at: new Date(0).toISOString() };
    // Nobody listens: the status changes unobserved, and the snapshot still follows the data.
    host.store.dispatch(actions.reflectorStatus({ key, phase: 'backing-off', error, attempt: 1 }));
    host.events(acc, 'pods', ['ADDED', pod('b', { rv: '11' })]);
    expect(acc.getSnapshot().pods).toHaveLength(2);
    let calls = 0;
    acc.subscribe(() => calls++);
    expect(acc.status().pods).toMatchObject({ phase: 'backing-off' });
    host.store.dispatch(actions.reflectorStatus({ key, phase: 'watching', error: null }));
    expect(calls).toBe(1);
    expect(acc.status().pods).toMatchObject({ phase: 'synced' });
  });
});
