import { describe, expect, it } from 'vitest';
import type { ResourceType } from '../discovery/types.js';
import { scriptedTransport } from '../reflector/__fixtures__/scripted-transport.js';
import { pendingRecord, pod, StoreDriver } from '../store/__fixtures__/store.js';
import { localOf, objectCount, storedOf } from '../store/stored-object.js';
import { DeletionVersions } from './deletion-versions.js';

const pods: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'pods',
  kind: 'Pod',
  namespaced: true,
  verbs: ['list', 'watch', 'delete'],
};

/** A store with one synced Pod watch holding `a` and `b` in ns1, both deleted with a Status answer. */
function deletedWithStatus() {
  const d = new StoreDriver().watch('all').query('all', 'all');
  d.list('all', '10', [pod('a', { namespace: 'ns1', rv: '5' }), pod('b', { namespace: 'ns1', rv: '6' })]);
  d.deletedWithStatus('a', 'ns1').deletedWithStatus('b', 'ns1');
  return d;
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('learning the version of a delete answered with a Status', () => {
  it('lists once, consistently, in the namespace, and gives the store the version', async () => {
    const d = deletedWithStatus();
    const { transport, requests } = scriptedTransport(() => ({
      body: { kind: 'PodList', metadata: { resourceVersion: '42' }, items: [] },
    }));
    const versions = new DeletionVersions(transport, d.store);
    versions.note(pods, 'ns1', 'uid-a');
    versions.note(pods, 'ns1', 'uid-b');
    await until(() => localOf(storedOf(d.state, 'uid-b'))?.resourceVersion === '42');
    // The first delete's list was in flight; the second waited for the next one.
    expect(requests.map((r) => [r.method, r.path, r.query])).toEqual([
      ['GET', '/api/v1/namespaces/ns1/pods', { limit: 1 }],
      ['GET', '/api/v1/namespaces/ns1/pods', { limit: 1 }],
    ]);
    expect(localOf(storedOf(d.state, 'uid-a'))?.resourceVersion).toBe('42');
    // The watch delivers the deletions and passes 42: both are released and the objects dropped.
    d.events(
      'all',
      ['DELETED', pod('a', { namespace: 'ns1', rv: '40' })],
      ['DELETED', pod('b', { namespace: 'ns1', rv: '41' })],
    );
    d.bookmark('all', '42');
    expect(pendingRecord(d.state)).toEqual({});
    expect(objectCount(d.state)).toBe(0);
    versions.close();
  });

  it('retries a failed list, and sends none for a deletion the store does not hold', async () => {
    const d = deletedWithStatus();
    const { transport, requests } = scriptedTransport((_req, n) =>
      n === 0
        ? { status: 503, body: { kind: 'Status', code: 503, reason: 'ServiceUnavailable' } }
        : { body: { kind: 'PodList', metadata: { resourceVersion: '43' }, items: [] } },
    );
    const versions = new DeletionVersions(transport, d.store);
    versions.note(pods, 'ns1', 'uid-unknown');
    expect(requests).toHaveLength(0);
    versions.note(pods, 'ns1', 'uid-a');
    await until(() => localOf(storedOf(d.state, 'uid-a'))?.resourceVersion === '43');
    expect(requests).toHaveLength(2);
    versions.close();
  });

  it('stops on close, leaving the deletion to the watches', async () => {
    const d = deletedWithStatus();
    const { transport, requests } = scriptedTransport(() => ({ status: 500, body: {} }));
    const versions = new DeletionVersions(transport, d.store);
    versions.note(pods, 'ns1', 'uid-a');
    await until(() => requests.length === 1);
    versions.close();
    await new Promise((r) => setTimeout(r, 300));
    expect(requests).toHaveLength(1);
    expect(localOf(storedOf(d.state, 'uid-a'))).toMatchObject({ deleted: true, resourceVersion: '' });
  });
});
