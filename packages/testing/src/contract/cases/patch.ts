import { describe, expect, it } from 'vitest';
import { type ContractContext, configMaps, deployment, deployments } from './context.js';

const MERGE = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';
const APPLY = 'application/apply-patch+yaml';

export function patchContract(ctx: ContractContext) {
  describe('patch', () => {
    it('merges a JSON merge patch, deleting keys set to null', async () => {
      const name = ctx.name('cm');
      const path = `${configMaps(ctx.namespace())}/${name}`;
      await ctx.http().post(configMaps(ctx.namespace()), {
        metadata: { name, labels: { a: '1', b: '2' } },
        data: { x: '1', y: '2' },
      });
      const res = await ctx
        .http()
        .patch(path, MERGE, { metadata: { labels: { b: null, c: '3' } }, data: { y: null, z: '3' } });
      expect(res.status).toBe(200);
      expect(res.body.metadata.labels).toEqual({ a: '1', c: '3' });
      expect(res.body.data).toEqual({ x: '1', z: '3' });
    });

    it('applies a JSON patch with add, replace, remove and a passing test', async () => {
      const name = ctx.name('cm');
      const path = `${configMaps(ctx.namespace())}/${name}`;
      await ctx.http().post(configMaps(ctx.namespace()), { metadata: { name }, data: { x: '1', y: '2' } });
      const res = await ctx.http().patch(path, JSON_PATCH, [
        { op: 'test', path: '/data/x', value: '1' },
        { op: 'replace', path: '/data/x', value: '10' },
        { op: 'remove', path: '/data/y' },
        { op: 'add', path: '/metadata/labels', value: { l: 'v' } },
        { op: 'add', path: '/metadata/labels/example.com~1team', value: 'kates' },
      ]);
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ x: '10' });
      expect(res.body.metadata.labels).toEqual({ l: 'v', 'example.com/team': 'kates' });
    });

    it('answers 422 to a JSON patch whose test fails, changing nothing', async () => {
      const name = ctx.name('cm');
      const path = `${configMaps(ctx.namespace())}/${name}`;
      const created = await ctx
        .http()
        .post(configMaps(ctx.namespace()), { metadata: { name }, data: { x: '1' } });
      const res = await ctx.http().patch(path, JSON_PATCH, [
        { op: 'replace', path: '/data/x', value: '2' },
        { op: 'test', path: '/data/x', value: '3' },
      ]);
      expect(res.status).toBe(422);
      expect(res.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'the server rejected our request due to an error in our request',
        reason: 'Invalid',
        details: {},
        code: 422,
      });
      expect((await ctx.http().get(path)).body).toEqual(created.body);
      const notArray = await ctx.http().patch(path, JSON_PATCH, { op: 'add' });
      expect(notArray.status).toBe(400);
    });

    it('merges containers by name with a strategic merge patch', async () => {
      const name = ctx.name('deploy');
      const path = `${deployments(ctx.namespace())}/${name}`;
      await ctx.http().post(deployments(ctx.namespace()), deployment(name));
      const res = await ctx.http().patch(path, STRATEGIC, {
        spec: {
          template: {
            spec: {
              containers: [
                { name: 'main', image: 'busybox:1.37' },
                { name: 'sidecar', image: 'nginx:1.27' },
              ],
            },
          },
        },
      });
      expect(res.status).toBe(200);
      const containers = res.body.spec.template.spec.containers.map((c: { name: string; image: string }) => [
        c.name,
        c.image,
      ]);
      expect(containers).toEqual([
        ['main', 'busybox:1.37'],
        ['sidecar', 'nginx:1.27'],
      ]);
      const removed = await ctx.http().patch(path, STRATEGIC, {
        spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } },
      });
      expect(removed.body.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual([
        'main',
      ]);
      expect(removed.body.metadata.generation).toBe(3);
    });

    it('answers 415 to a patch type it does not know', async () => {
      const name = ctx.name('cm');
      await ctx.http().post(configMaps(ctx.namespace()), { metadata: { name } });
      const res = await ctx.http().patch(`${configMaps(ctx.namespace())}/${name}`, 'text/plain', 'x');
      expect(res.status).toBe(415);
      expect(res.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: '415: Unsupported Media Type',
        reason: 'UnsupportedMediaType',
        details: {},
        code: 415,
      });
    });
  });

  describe('server-side apply', () => {
    const cm = (name: string, data: Record<string, string>) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${Object.entries(data)
        .map(([k, v]) => `  ${k}: "${v}"`)
        .join('\n')}\n`;
    const applyPath = (name: string, manager: string, force = false) =>
      `${configMaps(ctx.namespace())}/${name}?fieldManager=${manager}${force ? '&force=true' : ''}`;
    const entries = (obj: { metadata: { managedFields: Record<string, unknown>[] } }) =>
      obj.metadata.managedFields.map(({ time: _t, ...rest }) => rest);

    it('creates with apply and records an Apply entry for the manager', async () => {
      const name = ctx.name('ssa');
      const res = await ctx.http().patch(applyPath(name, 'manager-a'), APPLY, cm(name, { a: '1', b: '2' }));
      expect(res.status).toBe(201);
      expect(res.body.data).toEqual({ a: '1', b: '2' });
      expect(entries(res.body)).toEqual([
        {
          manager: 'manager-a',
          operation: 'Apply',
          apiVersion: 'v1',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:data': { 'f:a': {}, 'f:b': {} } },
        },
      ]);
    });

    it('answers 409 naming the fields another manager owns, and takes them with force', async () => {
      const name = ctx.name('ssa');
      await ctx.http().patch(applyPath(name, 'manager-a'), APPLY, cm(name, { a: '1', b: '2' }));
      const conflict = await ctx.http().patch(applyPath(name, 'manager-b'), APPLY, cm(name, { a: '9' }));
      expect(conflict.status).toBe(409);
      expect(conflict.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Apply failed with 1 conflict: conflict with "manager-a": .data.a',
        reason: 'Conflict',
        details: {
          causes: [
            { reason: 'FieldManagerConflict', message: 'conflict with "manager-a"', field: '.data.a' },
          ],
        },
        code: 409,
      });
      const shared = await ctx.http().patch(applyPath(name, 'manager-c'), APPLY, cm(name, { b: '2' }));
      expect(shared.status).toBe(200);
      const forced = await ctx
        .http()
        .patch(applyPath(name, 'manager-b', true), APPLY, cm(name, { a: '9', c: '3' }));
      expect(forced.status).toBe(200);
      expect(forced.body.data).toEqual({ a: '9', b: '2', c: '3' });
      // Entries are sorted by time, then manager; times have second precision, so compare by manager.
      expect(
        entries(forced.body).sort((x, y) => (x.manager as string).localeCompare(y.manager as string)),
      ).toEqual([
        {
          manager: 'manager-a',
          operation: 'Apply',
          apiVersion: 'v1',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:data': { 'f:b': {} } },
        },
        {
          manager: 'manager-b',
          operation: 'Apply',
          apiVersion: 'v1',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:data': { 'f:a': {}, 'f:c': {} } },
        },
        {
          manager: 'manager-c',
          operation: 'Apply',
          apiVersion: 'v1',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:data': { 'f:b': {} } },
        },
      ]);
    });

    it('reports conflicts with a manager that wrote by update, naming its apiVersion', async () => {
      const name = ctx.name('ssa');
      await ctx
        .http()
        .post(`${configMaps(ctx.namespace())}?fieldManager=writer`, { metadata: { name }, data: { q: '1' } });
      const res = await ctx.http().patch(applyPath(name, 'applier'), APPLY, cm(name, { q: '2' }));
      expect(res.status).toBe(409);
      expect(res.body.message).toBe('Apply failed with 1 conflict: conflict with "writer" using v1: .data.q');
    });

    it('removes a field the manager stops applying, unless someone else owns it', async () => {
      const name = ctx.name('ssa');
      await ctx.http().patch(applyPath(name, 'manager-a'), APPLY, cm(name, { a: '1', b: '2', c: '3' }));
      await ctx.http().patch(applyPath(name, 'manager-b'), APPLY, cm(name, { c: '3' }));
      const res = await ctx.http().patch(applyPath(name, 'manager-a'), APPLY, cm(name, { a: '1' }));
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ a: '1', c: '3' });
    });

    it('merges owner references by uid: an apply removes only those its manager stopped applying', async () => {
      // A controller applying a table owned by several objects, while another writer (the garbage
      // collector, by update) removes a reference and a third manager applies one of its own.
      const owners = [];
      for (const prefix of ['owner-a', 'owner-b', 'owner-d']) {
        const owner = await ctx
          .http()
          .post(configMaps(ctx.namespace()), { metadata: { name: ctx.name(prefix) } });
        owners.push({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: owner.body.metadata.name,
          uid: owner.body.metadata.uid,
        });
      }
      const [a, b, d] = owners as [(typeof owners)[0], (typeof owners)[0], (typeof owners)[0]];
      const name = ctx.name('ssa-owned');
      const path = `${configMaps(ctx.namespace())}/${name}`;
      const table = (refs: unknown[], data: Record<string, string>) =>
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, ownerReferences: refs },
          data,
        });
      const refNames = (res: { body: { metadata: { ownerReferences?: { name: string }[] } } }) =>
        (res.body.metadata.ownerReferences ?? []).map((r) => r.name).sort();

      await ctx.http().patch(`${path}?fieldManager=controller&force=true`, APPLY, table([a, b], { v: '1' }));
      const other = await ctx.http().patch(`${path}?fieldManager=other`, APPLY, table([d], {}));
      expect(other.status).toBe(200);
      expect(refNames(other)).toEqual([a.name, b.name, d.name].sort());
      // The collector's way: an update without b, by another manager.
      const live = await ctx.http().get(path);
      const { managedFields: _m, ...metadata } = live.body.metadata;
      const updated = await ctx.http().put(`${path}?fieldManager=kube-controller-manager`, {
        ...live.body,
        metadata: { ...metadata, ownerReferences: [a, d] },
      });
      expect(updated.status).toBe(200);
      // A stale apply (from before b went) puts b back; it conflicts with nothing, with no resourceVersion.
      const stale = await ctx
        .http()
        .patch(`${path}?fieldManager=controller&force=true`, APPLY, table([a, b], { v: '2' }));
      expect(stale.status).toBe(200);
      expect(refNames(stale)).toEqual([a.name, b.name, d.name].sort());
      // The next apply without b removes it, and leaves the other manager's d.
      const fresh = await ctx
        .http()
        .patch(`${path}?fieldManager=controller&force=true`, APPLY, table([a], { v: '3' }));
      expect(fresh.status).toBe(200);
      expect(refNames(fresh)).toEqual([a.name, d.name].sort());
      expect(fresh.body.data).toEqual({ v: '3' });
    });

    it('answers 422 to apply without fieldManager', async () => {
      const name = ctx.name('ssa');
      const res = await ctx
        .http()
        .patch(`${configMaps(ctx.namespace())}/${name}`, APPLY, cm(name, { a: '1' }));
      expect(res.status).toBe(422);
      expect(res.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
        reason: 'Invalid',
        details: {
          group: 'meta.k8s.io',
          kind: 'PatchOptions',
          causes: [
            {
              reason: 'FieldValueRequired',
              message: 'Required value: is required for apply patch',
              field: 'fieldManager',
            },
          ],
        },
        code: 422,
      });
    });

    it('applies JSON as well as YAML, merging containers by name', async () => {
      const name = ctx.name('deploy');
      const path = `${deployments(ctx.namespace())}/${name}?fieldManager=deployer`;
      const created = await ctx.http().patch(path, APPLY, JSON.stringify(deployment(name)));
      expect(created.status).toBe(201);
      const sidecar = deployment(name);
      sidecar.spec.template.spec.containers = [
        { name: 'main', image: 'busybox:1.36' },
        { name: 'side', image: 'nginx:1.27' },
      ];
      const res = await ctx.http().patch(path, APPLY, JSON.stringify(sidecar));
      expect(res.body.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual([
        'main',
        'side',
      ]);
      expect(res.body.metadata.generation).toBe(2);
    });
  });
}
