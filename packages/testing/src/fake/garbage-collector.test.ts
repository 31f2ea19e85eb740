import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractHttp } from '../contract/http.js';
import { deletionFinalizers } from './garbage-collector.js';
import { type FakeApiServer, startFakeApiServer } from './server.js';

const CMS = '/api/v1/namespaces/default/configmaps';

/** Polls until the probe holds (the collector works on the next tick, as the real one works behind the apiserver). */
async function eventually(what: string, probe: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting until ${what}`);
}

describe('deletionFinalizers, as the apiserver computes them for the garbage collector', () => {
  it('adds the finalizer of an explicit policy after the others, replacing the opposite one', () => {
    expect(deletionFinalizers(['a'], { propagationPolicy: 'Foreground' })).toEqual([
      'a',
      'foregroundDeletion',
    ]);
    expect(deletionFinalizers(['foregroundDeletion', 'a'], { propagationPolicy: 'Orphan' })).toEqual([
      'a',
      'orphan',
    ]);
    expect(deletionFinalizers(['orphan'], { propagationPolicy: 'Background' })).toEqual([]);
    expect(deletionFinalizers([], { orphanDependents: true })).toEqual(['orphan']);
  });

  it('keeps the finalizer an object has when the delete names no policy', () => {
    expect(deletionFinalizers(['foregroundDeletion'], {})).toEqual(['foregroundDeletion']);
    expect(deletionFinalizers(['a'], {})).toEqual(['a']);
  });
});

// The same scenarios were run against kube-controller-manager's garbage collector
// (startCluster({ controllers: true })) to set these expectations.
describe('the garbage collector of the fake API server', () => {
  let server: FakeApiServer;
  let http: ContractHttp;
  const status = async (name: string) => (await http.get(`${CMS}/${name}`)).status;
  const create = async (name: string, metadata: Record<string, unknown> = {}) =>
    (await http.post(CMS, { metadata: { name, ...metadata } })).body;
  const ref = (owner: { metadata: { name: string; uid: string } }, block = true) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    blockOwnerDeletion: block,
  });

  beforeAll(async () => {
    server = await startFakeApiServer();
    http = new ContractHttp(server.kubeconfigPath);
  });
  afterAll(async () => {
    await http.close();
    await server.stop();
  });

  it('removes an owner deleted in the foreground once it has no dependents', async () => {
    await create('lonely');
    const deleted = await http.delete(`${CMS}/lonely?propagationPolicy=Foreground`);
    expect(deleted.body.metadata.finalizers).toEqual(['foregroundDeletion']);
    await eventually('the owner is gone', async () => (await status('lonely')) === 404);
  });

  it('deletes the dependents of a foreground delete and keeps the owner until the blocking ones are gone', async () => {
    const owner = await create('owner');
    const other = await create('other');
    await create('held', { finalizers: ['example.com/hold'], ownerReferences: [ref(owner)] });
    await create('free', { ownerReferences: [ref(owner, false)] });
    await create('shared', { ownerReferences: [ref(owner), ref(other)] });
    const child = await create('child', { ownerReferences: [ref(owner)] });
    await create('grandchild', { finalizers: ['example.com/hold'], ownerReferences: [ref(child)] });
    await http.delete(`${CMS}/owner?propagationPolicy=Foreground`);
    await eventually('the free dependent is gone', async () => (await status('free')) === 404);
    const held = await http.get(`${CMS}/held`);
    expect(held.body.metadata.deletionTimestamp).toEqual(expect.any(String));
    // A dependent with another owner only loses the reference.
    expect((await http.get(`${CMS}/shared`)).body.metadata.ownerReferences).toEqual([ref(other)]);
    // A dependent with dependents of its own is deleted in the foreground too.
    expect((await http.get(`${CMS}/child`)).body.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect((await http.get(`${CMS}/grandchild`)).body.metadata.deletionTimestamp).toEqual(expect.any(String));

    await http.patch(`${CMS}/grandchild`, 'application/merge-patch+json', { metadata: { finalizers: null } });
    await eventually('the child is gone', async () => (await status('child')) === 404);
    expect(await status('owner')).toBe(200);
    await http.patch(`${CMS}/held`, 'application/merge-patch+json', { metadata: { finalizers: null } });
    await eventually('the owner is gone', async () => (await status('owner')) === 404);
  });

  it('removes the references to an orphaning owner, then the owner', async () => {
    const owner = await create('o2');
    const other = await create('o2-other');
    await create('o2-dependent', { ownerReferences: [ref(owner), ref(other)] });
    await create('o2-only', { ownerReferences: [ref(owner)] });
    const deleted = await http.delete(`${CMS}/o2?propagationPolicy=Orphan`);
    expect(deleted.body.metadata.finalizers).toEqual(['orphan']);
    await eventually('the owner is gone', async () => (await status('o2')) === 404);
    expect((await http.get(`${CMS}/o2-dependent`)).body.metadata.ownerReferences).toEqual([ref(other)]);
    expect((await http.get(`${CMS}/o2-only`)).body.metadata.ownerReferences).toBeUndefined();
  });

  it('deletes the dependents of an owner deleted in the background', async () => {
    const owner = await create('o3');
    await create('o3-dependent', { ownerReferences: [ref(owner, false)] });
    expect((await http.delete(`${CMS}/o3`)).body.kind).toBe('Status');
    await eventually('the dependent is gone', async () => (await status('o3-dependent')) === 404);
  });

  it('leaves objects whose owners never existed here alone', async () => {
    await create('adopted', {
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: 'elsewhere',
          uid: '00000000-0000-0000-0000-000000000001',
        },
      ],
    });
    await create('trigger');
    await http.delete(`${CMS}/trigger`);
    await new Promise((r) => setTimeout(r, 50));
    expect(await status('adopted')).toBe(200);
  });
});
