import { describe, expect, it } from 'vitest';
import { type ContractContext, configMaps, failure } from './context.js';

const DRY_RUN_BODY = { kind: 'DeleteOptions', apiVersion: 'v1', dryRun: ['All'] };

/** The 422 the apiserver answers for invalid request options (`DeleteOptions`, `CreateOptions`). */
function invalidOptions(kind: string, field: string, message: string, reason: string) {
  return failure(422, 'Invalid', `${kind}.meta.k8s.io "" is invalid: ${field}: ${message}`, {
    group: 'meta.k8s.io',
    kind,
    causes: [{ reason, message, field }],
  });
}

export function dryRunContract(ctx: ContractContext) {
  describe('dry runs', () => {
    it('answers a dry-run delete with dryRun in the DeleteOptions body, as kubectl sends it, and keeps the object', async () => {
      const name = ctx.name('cm');
      const path = `${configMaps(ctx.namespace())}/${name}`;
      const created = await ctx.http().post(configMaps(ctx.namespace()), { metadata: { name } });
      const dry = await ctx.http().delete(path, { ...DRY_RUN_BODY, propagationPolicy: 'Background' });
      expect(dry.status).toBe(200);
      expect(dry.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: { name, kind: 'configmaps', uid: created.body.metadata.uid },
      });
      const kept = await ctx.http().get(path);
      expect(kept.status).toBe(200);
      expect(kept.body).toEqual(created.body);
    });

    it('answers a dry-run delete with ?dryRun=All and no body, and keeps the object', async () => {
      const name = ctx.name('cm');
      const path = `${configMaps(ctx.namespace())}/${name}`;
      const created = await ctx.http().post(configMaps(ctx.namespace()), { metadata: { name } });
      const dry = await ctx.http().delete(`${path}?dryRun=All`);
      expect(dry.status).toBe(200);
      expect(dry.body.status).toBe('Success');
      expect((await ctx.http().get(path)).body).toEqual(created.body);
    });

    it('reads DeleteOptions from the body alone when there is one, so ?dryRun=All beside a body deletes', async () => {
      const name = ctx.name('cm');
      const path = `${configMaps(ctx.namespace())}/${name}`;
      await ctx.http().post(configMaps(ctx.namespace()), { metadata: { name } });
      const res = await ctx.http().delete(`${path}?dryRun=All`, { kind: 'DeleteOptions', apiVersion: 'v1' });
      expect(res.status).toBe(200);
      expect((await ctx.http().get(path)).status).toBe(404);
    });

    it('answers a dry-run deletecollection with the objects it would delete and deletes none', async () => {
      const label = ctx.name('set');
      const names = [ctx.name('cm'), ctx.name('cm')];
      for (const name of names)
        await ctx.http().post(configMaps(ctx.namespace()), { metadata: { name, labels: { set: label } } });
      const selected = `${configMaps(ctx.namespace())}?labelSelector=set%3D${label}`;
      const byQuery = await ctx.http().request('DELETE', `${selected}&dryRun=All`);
      expect(byQuery.status).toBe(200);
      expect(byQuery.body.kind).toBe('ConfigMapList');
      expect(byQuery.body.items.map((i: { metadata: { name: string } }) => i.metadata.name).sort()).toEqual(
        [...names].sort(),
      );
      const byBody = await ctx.http().delete(selected, DRY_RUN_BODY);
      expect(byBody.status).toBe(200);
      expect(byBody.body.items).toHaveLength(2);
      const left = await ctx.http().get(selected);
      expect(left.body.items).toHaveLength(2);
    });

    it('answers a dry-run create with the object it would store, without a resourceVersion, and stores nothing', async () => {
      const name = ctx.name('cm');
      const dry = await ctx
        .http()
        .post(`${configMaps(ctx.namespace())}?dryRun=All`, { metadata: { name }, data: { k: 'v' } });
      expect(dry.status).toBe(201);
      expect(dry.body.metadata.name).toBe(name);
      expect(dry.body.metadata.uid).toEqual(expect.any(String));
      expect(dry.body.metadata).not.toHaveProperty('resourceVersion');
      expect(dry.body.data).toEqual({ k: 'v' });
      expect((await ctx.http().get(`${configMaps(ctx.namespace())}/${name}`)).status).toBe(404);
    });

    it('answers a dry-run update with the object as it would be, at the resourceVersion it still has', async () => {
      const name = ctx.name('cm');
      const path = `${configMaps(ctx.namespace())}/${name}`;
      const created = await ctx
        .http()
        .post(configMaps(ctx.namespace()), { metadata: { name }, data: { k: 'v' } });
      const dry = await ctx
        .http()
        .patch(`${path}?dryRun=All`, 'application/merge-patch+json', { data: { k: 'changed' } });
      expect(dry.status).toBe(200);
      expect(dry.body.data).toEqual({ k: 'changed' });
      expect(dry.body.metadata.resourceVersion).toBe(created.body.metadata.resourceVersion);
      expect((await ctx.http().get(path)).body).toEqual(created.body);
    });

    it('answers 422 to a dryRun value other than All, on a create and on a delete, and writes nothing', async () => {
      const name = ctx.name('cm');
      const create = await ctx
        .http()
        .post(`${configMaps(ctx.namespace())}?dryRun=Yes`, { metadata: { name } });
      expect(create.status).toBe(422);
      expect(create.body).toEqual(
        invalidOptions(
          'CreateOptions',
          'dryRun',
          'Unsupported value: ["Yes"]: supported values: "All"',
          'FieldValueNotSupported',
        ),
      );
      expect((await ctx.http().get(`${configMaps(ctx.namespace())}/${name}`)).status).toBe(404);
      await ctx.http().post(configMaps(ctx.namespace()), { metadata: { name } });
      const del = await ctx.http().delete(`${configMaps(ctx.namespace())}/${name}`, {
        kind: 'DeleteOptions',
        apiVersion: 'v1',
        dryRun: ['true'],
      });
      expect(del.status).toBe(422);
      expect(del.body).toEqual(
        invalidOptions(
          'DeleteOptions',
          'dryRun',
          'Unsupported value: ["true"]: supported values: "All"',
          'FieldValueNotSupported',
        ),
      );
      expect((await ctx.http().get(`${configMaps(ctx.namespace())}/${name}`)).status).toBe(200);
    });

    it('answers 422 to an unknown propagationPolicy, naming the supported ones', async () => {
      const name = ctx.name('cm');
      await ctx.http().post(configMaps(ctx.namespace()), { metadata: { name } });
      const res = await ctx.http().delete(`${configMaps(ctx.namespace())}/${name}?propagationPolicy=Later`);
      expect(res.status).toBe(422);
      expect(res.body).toEqual(
        invalidOptions(
          'DeleteOptions',
          'propagationPolicy',
          'Unsupported value: "Later": supported values: "Foreground", "Background", "Orphan", "nil"',
          'FieldValueNotSupported',
        ),
      );
    });
  });
}
