import { describe, expect, it } from 'vitest';
import type { WatchLine } from '../http.js';
import { type ContractContext, configMaps, deployment, deployments, RFC3339_SECONDS } from './context.js';

export function lifecycleContract(ctx: ContractContext) {
  describe('status subresource', () => {
    it('changes only status through /status, and ignores status on the main resource', async () => {
      const name = ctx.name('deploy');
      const path = `${deployments(ctx.namespace())}/${name}`;
      const created = await ctx.http().post(deployments(ctx.namespace()), deployment(name));
      const viaStatus = await ctx.http().put(`${path}/status`, {
        ...created.body,
        metadata: { ...created.body.metadata, labels: { changed: 'yes' } },
        spec: { ...created.body.spec, replicas: 9 },
        status: { replicas: 7 },
      });
      expect(viaStatus.status).toBe(200);
      expect(viaStatus.body.status).toEqual({ replicas: 7 });
      expect(viaStatus.body.spec.replicas).toBe(1);
      expect(viaStatus.body.metadata.labels).toEqual({ app: name });
      expect(viaStatus.body.metadata.generation).toBe(1);
      const viaMain = await ctx.http().put(path, { ...viaStatus.body, status: { replicas: 1 } });
      expect(viaMain.body.status).toEqual({ replicas: 7 });
      expect(viaMain.body.metadata.resourceVersion).toBe(viaStatus.body.metadata.resourceVersion);
      const read = await ctx.http().get(`${path}/status`);
      expect(read.body.status).toEqual({ replicas: 7 });
      const patched = await ctx
        .http()
        .patch(`${path}/status`, 'application/merge-patch+json', { status: { readyReplicas: 1 } });
      expect(patched.body.status).toEqual({ replicas: 7, readyReplicas: 1 });
    });

    it('has no status subresource for ConfigMaps', async () => {
      const name = ctx.name('cm');
      await ctx.http().post(configMaps(ctx.namespace()), { metadata: { name } });
      const res = await ctx.http().get(`${configMaps(ctx.namespace())}/${name}/status`);
      expect(res.status).toBe(404);
    });
  });

  describe('finalizers and deletionTimestamp', () => {
    it('marks an object with finalizers for deletion, keeps it, and deletes it when the last finalizer goes', async () => {
      const name = ctx.name('cm');
      const path = `${configMaps(ctx.namespace())}/${name}`;
      const created = await ctx
        .http()
        .post(configMaps(ctx.namespace()), { metadata: { name, finalizers: ['example.com/hold'] } });
      const deleted = await ctx.http().delete(path);
      expect(deleted.status).toBe(200);
      expect(deleted.body.kind).toBe('ConfigMap');
      expect(deleted.body.metadata.deletionTimestamp).toMatch(RFC3339_SECONDS);
      expect(deleted.body.metadata.deletionGracePeriodSeconds).toBe(0);
      expect(deleted.body.metadata.finalizers).toEqual(['example.com/hold']);
      expect(Number(deleted.body.metadata.resourceVersion)).toBeGreaterThan(
        Number(created.body.metadata.resourceVersion),
      );
      const again = await ctx.http().delete(path);
      expect(again.status).toBe(200);
      expect(again.body.metadata.resourceVersion).toBe(deleted.body.metadata.resourceVersion);
      const added = await ctx.http().patch(path, 'application/merge-patch+json', {
        metadata: { finalizers: ['example.com/hold', 'example.com/more'] },
      });
      expect(added.status).toBe(422);
      expect(added.body.details.causes).toEqual([
        {
          reason: 'FieldValueForbidden',
          field: 'metadata.finalizers',
          message:
            'Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/more"}',
        },
      ]);
      const released = await ctx
        .http()
        .patch(path, 'application/merge-patch+json', { metadata: { finalizers: null } });
      expect(released.status).toBe(200);
      expect(released.body.metadata.finalizers).toBeUndefined();
      expect(released.body.metadata.resourceVersion).toBe(deleted.body.metadata.resourceVersion);
      expect((await ctx.http().get(path)).status).toBe(404);
    });

    it('sends the last stored state, with the deletion resourceVersion, in the DELETED event', async () => {
      const name = ctx.name('cm');
      const path = `${configMaps(ctx.namespace())}/${name}`;
      const created = await ctx
        .http()
        .post(configMaps(ctx.namespace()), { metadata: { name, finalizers: ['example.com/hold'] } });
      const watch = await ctx.http().watch(configMaps(ctx.namespace()), {
        resourceVersion: created.body.metadata.resourceVersion,
        fieldSelector: `metadata.name=${name}`,
      });
      await ctx.http().delete(path);
      await ctx.http().patch(path, 'application/merge-patch+json', { metadata: { finalizers: null } });
      const lines = await watch.until((l) => l.some((e) => e.type === 'DELETED'));
      watch.close();
      expect(lines.map((l) => l.type)).toEqual(['MODIFIED', 'DELETED']);
      const [marked, gone] = [lines[0] as WatchLine, lines[1] as WatchLine];
      expect(gone.object.metadata.finalizers).toEqual(['example.com/hold']);
      expect(gone.object.metadata.deletionTimestamp).toBe(marked.object.metadata.deletionTimestamp);
      expect(Number(gone.object.metadata.resourceVersion)).toBeGreaterThan(
        Number(marked.object.metadata.resourceVersion),
      );
    });

    it('answers DELETE of a namespace with the namespace, Terminating', async () => {
      const name = ctx.name('ns');
      const created = await ctx.http().post('/api/v1/namespaces', { metadata: { name } });
      expect(created.body.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': name });
      expect(created.body.spec).toEqual({ finalizers: ['kubernetes'] });
      expect(created.body.status).toEqual({ phase: 'Active' });
      const res = await ctx.http().delete(`/api/v1/namespaces/${name}`);
      expect(res.status).toBe(200);
      expect(res.body.kind).toBe('Namespace');
      expect(res.body.status).toEqual({ phase: 'Terminating' });
      expect(res.body.metadata.deletionTimestamp).toMatch(RFC3339_SECONDS);
      const inside = await ctx.http().post(configMaps(name), { metadata: { name: 'late' } });
      if (inside.status !== 404) {
        // While it terminates, the namespace refuses new content; the fake may already have finished deleting it
        // (ALLOWED_DIFFERENCES.controllers).
        expect(inside.status).toBe(403);
        expect(inside.body.reason).toBe('Forbidden');
        expect(inside.body.message).toBe(
          `configmaps "late" is forbidden: unable to create new content in namespace ${name} ` +
            'because it is being terminated',
        );
      }
    });
  });
}
