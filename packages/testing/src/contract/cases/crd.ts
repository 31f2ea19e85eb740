import { describe, expect, it } from 'vitest';
import { eventually as poll } from '../../eventually.js';
import type { ContractHttp } from '../http.js';
import type { ContractContext } from './context.js';

export const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

function crd(group: string) {
  const schema = {
    openAPIV3Schema: {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: { color: { type: 'string' } },
          'x-kubernetes-preserve-unknown-fields': true,
        },
        status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `widgets.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: {
        plural: 'widgets',
        singular: 'widget',
        kind: 'Widget',
        shortNames: ['wd'],
        categories: ['all'],
      },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema,
          subresources: { status: {} },
          selectableFields: [{ jsonPath: '.spec.color' }],
        },
        // Identical schemas and selectable fields in every version: the apiserver stores them once.
        {
          name: 'v1beta1',
          served: true,
          storage: false,
          schema,
          selectableFields: [{ jsonPath: '.spec.color' }],
        },
      ],
    },
  };
}

/** Polls: CRDs are established and cleaned up asynchronously, at different speeds (ALLOWED_DIFFERENCES.timing). */
export function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  return poll(what, probe, (value) => value !== undefined, { timeoutMs, intervalMs: 100 }) as Promise<T>;
}

export async function established(http: ContractHttp, name: string) {
  return eventually(`${name} is Established`, async () => {
    const res = await http.get(`${CRDS}/${name}`);
    const ok = res.body?.status?.conditions?.some(
      (c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True',
    );
    return ok ? res.body : undefined;
  });
}

export function crdContract(ctx: ContractContext) {
  describe('custom resources', () => {
    it('answers 422 to a selectable field the schema does not define', async () => {
      const group = `${ctx.name('g')}.kates.example`;
      const bad = crd(group);
      for (const v of bad.spec.versions) v.selectableFields = [{ jsonPath: '.spec.size' }];
      const res = await ctx.http().post(CRDS, bad);
      expect(res.status).toBe(422);
      expect(res.body.details.causes).toEqual([
        {
          reason: 'FieldValueInvalid',
          field: 'spec.selectableFields[0].jsonPath',
          message: 'Invalid value: ".spec.size": is an invalid path: does not refer to a valid field',
        },
      ]);
    });

    it('serves a CRD once Established: discovery, CRUD at both versions, status, selectable fields; deleting it stops that', async () => {
      const group = `${ctx.name('g')}.kates.example`;
      const name = `widgets.${group}`;
      const created = await ctx.http().post(CRDS, crd(group));
      expect(created.status).toBe(201);
      expect(created.body.spec.names.listKind).toBe('WidgetList');
      expect(created.body.status.storedVersions).toEqual(['v1']);
      const ready = await established(ctx.http(), name);
      expect(ready.status.acceptedNames).toEqual({
        plural: 'widgets',
        singular: 'widget',
        shortNames: ['wd'],
        kind: 'Widget',
        listKind: 'WidgetList',
        categories: ['all'],
      });

      const base = `/apis/${group}/v1/namespaces/${ctx.namespace()}/widgets`;
      await eventually('widgets are served', async () =>
        (await ctx.http().get(base)).status === 200 ? true : undefined,
      );
      const groupDoc = await ctx.http().get(`/apis/${group}`);
      expect(groupDoc.body).toEqual({
        kind: 'APIGroup',
        apiVersion: 'v1',
        name: group,
        versions: [
          { groupVersion: `${group}/v1`, version: 'v1' },
          { groupVersion: `${group}/v1beta1`, version: 'v1beta1' },
        ],
        preferredVersion: { groupVersion: `${group}/v1`, version: 'v1' },
      });
      const resources = await ctx.http().get(`/apis/${group}/v1`);
      // storageVersionHash is an opaque hash of the apiserver's storage; it is not part of the contract.
      expect(
        resources.body.resources.map(({ storageVersionHash: _, ...r }: Record<string, unknown>) => r),
      ).toEqual([
        {
          name: 'widgets',
          singularName: 'widget',
          namespaced: true,
          kind: 'Widget',
          verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
          shortNames: ['wd'],
          categories: ['all'],
        },
        {
          name: 'widgets/status',
          singularName: '',
          namespaced: true,
          kind: 'Widget',
          verbs: ['get', 'patch', 'update'],
        },
      ]);
      const aggregated = await eventually('the group is in aggregated discovery', async () => {
        const res = await ctx.http().get('/apis', { accept: AGGREGATED });
        return res.body.items.find((i: { metadata: { name: string } }) => i.metadata.name === group);
      });
      expect(aggregated.versions.map((v: { version: string }) => v.version)).toEqual(['v1', 'v1beta1']);
      expect(aggregated.versions[0].resources[0]).toMatchObject({
        resource: 'widgets',
        scope: 'Namespaced',
        responseKind: { group, version: 'v1', kind: 'Widget' },
        singularResource: 'widget',
        subresources: [
          {
            subresource: 'status',
            responseKind: { group, version: 'v1', kind: 'Widget' },
            verbs: ['get', 'patch', 'update'],
          },
        ],
      });

      const w = await ctx.http().post(base, {
        apiVersion: `${group}/v1`,
        kind: 'Widget',
        metadata: { name: 'w1' },
        spec: { color: 'red' },
        status: { ok: true },
      });
      expect(w.status).toBe(201);
      expect(w.body.metadata.generation).toBe(1);
      expect(w.body.status).toBeUndefined();
      await ctx.http().post(base, {
        apiVersion: `${group}/v1`,
        kind: 'Widget',
        metadata: { name: 'w2' },
        spec: { color: 'blue' },
      });
      const beta = await ctx.http().get(`/apis/${group}/v1beta1/namespaces/${ctx.namespace()}/widgets/w1`);
      expect(beta.body.apiVersion).toBe(`${group}/v1beta1`);
      expect(beta.body.spec).toEqual({ color: 'red' });
      const status = await ctx
        .http()
        .patch(`${base}/w1/status`, 'application/merge-patch+json', { status: { ok: true } });
      expect(status.body.status).toEqual({ ok: true });
      expect(status.body.metadata.generation).toBe(1);
      const spec = await ctx
        .http()
        .patch(`${base}/w1`, 'application/merge-patch+json', { spec: { color: 'green' } });
      expect(spec.body.metadata.generation).toBe(2);
      const red = await ctx.http().get(`${base}?fieldSelector=spec.color%3Dblue`);
      expect(red.body.kind).toBe('WidgetList');
      expect(red.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['w2']);
      const strategic = await ctx
        .http()
        .patch(`${base}/w1`, 'application/strategic-merge-patch+json', { spec: { color: 'x' } });
      expect(strategic.status).toBe(415);
      expect(strategic.body.reason).toBe('UnsupportedMediaType');

      const deleted = await ctx.http().delete(`${CRDS}/${name}`);
      expect(deleted.status).toBe(200);
      expect(deleted.body.metadata.deletionTimestamp).toEqual(expect.any(String));
      expect(deleted.body.metadata.finalizers).toEqual(['customresourcecleanup.apiextensions.k8s.io']);
      expect(deleted.body.status.conditions).toContainEqual(
        expect.objectContaining({ type: 'Terminating', status: 'True' }),
      );
      await eventually('the CRD is gone', async () =>
        (await ctx.http().get(`${CRDS}/${name}`)).status === 404 ? true : undefined,
      );
      // kube-apiserver stops serving the resource when its own watch of CRDs sees the deletion,
      // a moment after the CRD itself is gone (a CI run got 200 right after the CRD's 404).
      await eventually('its resources are no longer served', async () =>
        (await ctx.http().get(base)).status === 404 ? true : undefined,
      );
      await eventually('its group is no longer discovered', async () =>
        (await ctx.http().get(`/apis/${group}`)).status === 404 ? true : undefined,
      );
    });
  });
}
