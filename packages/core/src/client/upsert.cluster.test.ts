import { describe, expect, it } from 'vitest';
import { isConflict } from '../errors/predicates.js';
import type { ConfigMap, Service } from '../model/kinds.js';
import { cluster, uniqueName, useClusterNamespace } from './__fixtures__/cluster.js';
import { interposing } from './__fixtures__/interpose.js';
import { Client } from './client.js';
import type { ClientWrite } from './types.js';
import { mergeInto } from './upsert.js';

const ctx = useClusterNamespace('upsert');

const service = (name: string, port: number, meta: Service['metadata'] = {}): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, ...meta },
  spec: { selector: { app: name }, ports: [{ name: 'http', port }] },
});

describe('mergeInto (Go kates MergeUpdate)', () => {
  it('merges labels and annotations, and takes spec and ownerReferences from the source', () => {
    const live = {
      apiVersion: 'v1',
      kind: 'Service',
      status: { loadBalancer: {} },
      metadata: {
        name: 's',
        resourceVersion: '7',
        labels: { a: 'live', keep: 'yes' },
        annotations: { x: 'live' },
        ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u1' }],
      },
      spec: { ports: [{ port: 80 }], clusterIP: '10.0.0.1' },
    };
    const source = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's', labels: { a: 'src' }, annotations: { y: 'src' } },
      spec: { ports: [{ port: 81 }] },
    };
    expect(mergeInto(live, source)).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      status: { loadBalancer: {} },
      metadata: {
        name: 's',
        resourceVersion: '7',
        labels: { a: 'src', keep: 'yes' },
        annotations: { x: 'live', y: 'src' },
      },
      spec: { ports: [{ port: 81 }] },
    });
    expect(live.metadata.labels).toEqual({ a: 'live', keep: 'yes' });
  });

  it('removes the live spec when the source has none, as Go kates does', () => {
    expect(
      mergeInto({ metadata: { name: 'c' }, spec: { a: 1 }, data: { k: 'v' } }, { metadata: { name: 'c' } }),
    ).toEqual({ metadata: { name: 'c', labels: {}, annotations: {} }, data: { k: 'v' } });
  });

  it("takes the top-level fields of a kind without spec, such as a ConfigMap's data, and keeps status", () => {
    expect(
      mergeInto(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'c', uid: 'u' },
          data: { k: 'old', gone: 'x' },
          status: { s: 1 },
        },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'new' } },
      ),
    ).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', uid: 'u', labels: {}, annotations: {} },
      data: { k: 'new' },
      status: { s: 1 },
    });
  });
});

describe.skipIf(!cluster)('upsert against the API server', () => {
  it('creates an absent object, and hands one upsert to the store', async () => {
    const writes: ClientWrite[] = [];
    const stop = ctx.client.onWrite((w) => writes.push(w));
    try {
      const created = await ctx.client.upsert(service(uniqueName('new'), 80));
      expect(created.metadata?.uid).toBeTruthy();
      expect(writes.map((w) => w.verb)).toEqual(['upsert']);
    } finally {
      stop();
    }
  });

  it('merges into the live object and keeps what others wrote', async () => {
    const name = uniqueName('merge');
    const owner = await ctx.client.create<ConfigMap>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${name}-owner` },
    });
    const ownerRef = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: owner.metadata!.name!,
      uid: owner.metadata!.uid!,
    };
    await ctx.client.create(
      service(name, 80, { labels: { a: 'live', keep: 'yes' }, annotations: { x: 'live' } }),
    );
    const result = await ctx.client.upsert(
      service(name, 81, { labels: { a: 'src' }, annotations: { y: 'src' }, ownerReferences: [ownerRef] }),
    );
    expect(result.metadata?.labels).toEqual({ a: 'src', keep: 'yes' });
    expect(result.metadata?.annotations).toEqual({ x: 'live', y: 'src' });
    expect(result.metadata?.ownerReferences?.map((r) => r.uid)).toEqual([owner.metadata?.uid]);
    expect(result.spec?.ports?.map((p) => p.port)).toEqual([81]);
  });

  it('reads again and merges again after a conflict', async () => {
    const name = uniqueName('race');
    await ctx.client.create(service(name, 80));
    let raced = false;
    const transport = interposing(ctx.client.transport, async (req) => {
      if (req.method === 'PUT' && !raced) {
        raced = true;
        await ctx.client.patch({ kind: 'svc', name }, { metadata: { labels: { other: 'writer' } } });
      }
    });
    const client = new Client({ transport, namespace: ctx.namespace });
    const result = await client.upsert(service(name, 82, { labels: { mine: 'yes' } }));
    expect(transport.counts.PUT).toBe(2);
    expect(result.metadata?.labels).toEqual({ other: 'writer', mine: 'yes' });
    expect(result.spec?.ports?.map((p) => p.port)).toEqual([82]);
  });

  it('updates what another writer created between the read and the create', async () => {
    const name = uniqueName('created-meanwhile');
    const transport = interposing(ctx.client.transport, async (req) => {
      if (req.method === 'POST') await ctx.client.create(service(name, 80, { labels: { first: 'them' } }));
    });
    const client = new Client({ transport, namespace: ctx.namespace });
    const result = await client.upsert(service(name, 83));
    expect(result.metadata?.labels).toEqual({ first: 'them' });
    expect(result.spec?.ports?.map((p) => p.port)).toEqual([83]);
  });

  it('gives up after the bounded number of conflicts, where Go kates loops forever', async () => {
    const name = uniqueName('contended');
    await ctx.client.create(service(name, 80));
    let n = 0;
    const transport = interposing(ctx.client.transport, async (req) => {
      if (req.method === 'PUT')
        await ctx.client.patch({ kind: 'svc', name }, { metadata: { labels: { n: String(++n) } } });
    });
    const client = new Client({ transport, namespace: ctx.namespace });
    const error = await client.upsert(service(name, 84), { retries: 2 }).catch((e: unknown) => e);
    expect(isConflict(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^upsert: gave up after 3 attempts, each answered with 409 Conflict/,
    );
    expect(transport.counts.PUT).toBe(3);
  });
});
