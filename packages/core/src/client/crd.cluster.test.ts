import { beforeAll, describe, expect, it } from 'vitest';
import { isNotFound } from '../errors/predicates.js';
import type { CustomResourceDefinition } from '../model/kinds.js';
import type { KubernetesObject } from '../model/object.js';
import { cluster, uniqueName, useClusterNamespace } from './__fixtures__/cluster.js';
import type { ClientWrite } from './types.js';

const ctx = useClusterNamespace('crd');

/** A Widget as plain JSON: kates needs no generated type for a CRD. */
interface Widget extends KubernetesObject {
  spec?: { size?: number; color?: string };
  status?: { phase?: string };
}

const GROUP = `${uniqueName('example').replace(/-/g, '')}.kates.dev`;
const CRD_NAME = `widgets.${GROUP}`;

const crd: CustomResourceDefinition = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: CRD_NAME },
  spec: {
    group: GROUP,
    scope: 'Namespaced',
    names: {
      plural: 'widgets',
      singular: 'widget',
      kind: 'Widget',
      shortNames: ['wd'],
      listKind: 'WidgetList',
    },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: { size: { type: 'integer', minimum: 0 }, color: { type: 'string' } },
              },
              status: { type: 'object', properties: { phase: { type: 'string' } } },
            },
          },
        },
      },
    ],
  },
};

const widget = (name: string, spec: Widget['spec'] = { size: 1 }): Widget => ({
  apiVersion: `${GROUP}/v1`,
  kind: 'Widget',
  metadata: { name },
  spec,
});

async function established(name: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const got = await ctx.client.get<CustomResourceDefinition>('crd', name);
    if (got.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`CRD ${name} did not become Established`);
}

describe.skipIf(!cluster)('a CRD created while the client runs', () => {
  let resolveRequests = 0;

  beforeAll(async () => {
    // Discovery is loaded (and cached) before the CRD exists.
    await ctx.client.discovery.resolve('pods');
    const before = ctx.client.discovery.stats().requests;
    await ctx.client.create(crd);
    await established(CRD_NAME);
    await ctx.client.discovery.resolve('wd');
    resolveRequests = ctx.client.discovery.stats().requests - before;
    return async () => {
      await ctx.client.delete({ kind: 'crd', name: CRD_NAME }).catch(() => undefined);
    };
  });

  it('resolves after one discovery refresh, without a restart', () => {
    expect(resolveRequests).toBe(2);
  });

  it.each([
    'wd',
    'widget',
    'widgets',
    'Widget',
    `widgets.${GROUP}`,
    `Widget.v1.${GROUP}`,
    `${GROUP}/v1/Widget`,
  ])('resolves %s', async (name) => {
    const rt = await ctx.client.discovery.resolve(name);
    expect(rt).toMatchObject({
      group: GROUP,
      version: 'v1',
      resource: 'widgets',
      kind: 'Widget',
      namespaced: true,
      singularName: 'widget',
      shortNames: ['wd'],
      subresources: ['status'],
    });
  });

  it('serves every verb', async () => {
    const { client } = ctx;
    const writes: ClientWrite[] = [];
    const stop = client.onWrite((w) => writes.push(w));
    try {
      const name = uniqueName('w');
      const created = await client.create(widget(name));
      expect(created.metadata?.uid).toBeTruthy();

      const read = await client.get<Widget>('wd', name);
      expect(read.spec).toEqual({ size: 1 });
      const listed = await client.list<Widget>('widgets');
      expect(listed.map((w) => [w.apiVersion, w.kind, w.metadata?.name])).toContainEqual([
        `${GROUP}/v1`,
        'Widget',
        name,
      ]);

      const updated = await client.update({ ...read, spec: { size: 2 } });
      expect(updated.spec?.size).toBe(2);

      const withStatus = await client.updateStatus({ ...updated, status: { phase: 'Ready' } });
      expect(withStatus.status?.phase).toBe('Ready');

      const merged = await client.patch<Widget>({ kind: 'widget', name }, { spec: { color: 'red' } });
      expect(merged.spec).toEqual({ size: 2, color: 'red' });
      const json = await client.patch<Widget>(
        { kind: 'Widget', name },
        [{ op: 'replace', path: '/spec/size', value: 3 }],
        { type: 'json' },
      );
      expect(json.spec?.size).toBe(3);
      const strategic = await client
        .patch({ kind: 'wd', name }, { spec: { size: 4 } }, { type: 'strategic' })
        .catch((e: unknown) => e);
      expect((strategic as Error).message).toMatch(/^patch widgets\..* 415 UnsupportedMediaType/);

      const applied = await client.apply(widget(name, { size: 5, color: 'blue' }), { force: true });
      const again = await client.apply(widget(name, { size: 5, color: 'blue' }), { force: true });
      expect(again.metadata?.resourceVersion).toBe(applied.metadata?.resourceVersion);

      const upserted = await client.upsert(widget(name, { size: 6 }));
      expect(upserted.spec).toEqual({ size: 6 });
      expect(upserted.status).toEqual({ phase: 'Ready' });

      const modified = await client.modify<Widget>({ kind: 'wd', name }, (w) => {
        w.spec = { ...w.spec, color: 'green' };
      });
      expect(modified.spec).toEqual({ size: 6, color: 'green' });

      const deleted = await client.delete(modified);
      expect(deleted.deleted).toBe(true);
      await expect(client.get('wd', name)).rejects.toSatisfy(isNotFound);

      expect(writes.map((w) => w.verb)).toEqual([
        'create',
        'update',
        'updateStatus',
        'patch',
        'patch',
        'apply',
        'apply',
        'upsert',
        'modify',
        'delete',
      ]);
      expect(writes.every((w) => w.resource.group === GROUP && w.object.kind === 'Widget')).toBe(true);
    } finally {
      stop();
    }
  });

  it('rejects an invalid custom object with its field cause', async () => {
    const error = await ctx.client.create(widget(uniqueName('bad'), { size: -1 })).catch((e: unknown) => e);
    expect((error as { causes?: { field?: string }[] }).causes?.map((c) => c.field)).toContain('spec.size');
  });
});
