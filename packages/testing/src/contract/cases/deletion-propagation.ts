import { describe, expect, it } from 'vitest';
import type { ContractHttp } from '../http.js';
import { type ContractContext, configMaps, deployment, deployments, RFC3339_SECONDS } from './context.js';

const MERGE = 'application/merge-patch+json';

/** An owner reference to `owner` that blocks its foreground deletion. */
function blockingReference(owner: {
  apiVersion: string;
  kind: string;
  metadata: { name: string; uid: string };
}) {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    blockOwnerDeletion: true,
  };
}

/**
 * Ends a deletion held by a garbage collector finalizer. A cluster with a garbage collector
 * (the fake imitates one) removes `finalizer` itself once the dependents allow; the test cluster
 * runs none (ALLOWED_DIFFERENCES.controllers), so there the object keeps exactly that finalizer
 * and goes once it is removed by hand.
 */
async function finishDeletion(http: ContractHttp, path: string, finalizer: string): Promise<void> {
  const left = await http.get(path);
  if (left.status !== 404) {
    expect(left.body.metadata.finalizers).toEqual([finalizer]);
    const released = await http.patch(path, MERGE, { metadata: { finalizers: null } });
    expect(released.status).toBe(200);
  }
  expect((await http.get(path)).status).toBe(404);
}

export function deletionPropagationContract(ctx: ContractContext) {
  describe('deletion propagation', () => {
    it('marks a foreground delete with the foregroundDeletion finalizer and keeps the owner while a blocking dependent lives', async () => {
      const name = ctx.name('deploy');
      const path = `${deployments(ctx.namespace())}/${name}`;
      const owner = await ctx.http().post(deployments(ctx.namespace()), deployment(name));
      const dependent = ctx.name('cm');
      const dependentPath = `${configMaps(ctx.namespace())}/${dependent}`;
      // The dependent's own finalizer holds it, so even a garbage collector cannot remove it yet.
      await ctx.http().post(configMaps(ctx.namespace()), {
        metadata: {
          name: dependent,
          finalizers: ['example.com/hold'],
          ownerReferences: [blockingReference(owner.body)],
        },
      });
      const watch = await ctx.http().watch(deployments(ctx.namespace()), {
        resourceVersion: owner.body.metadata.resourceVersion,
        fieldSelector: `metadata.name=${name}`,
      });

      const deleted = await ctx.http().delete(`${path}?propagationPolicy=Foreground`);
      expect(deleted.status).toBe(200);
      expect(deleted.body.kind).toBe('Deployment');
      const meta = deleted.body.metadata;
      expect(meta.deletionTimestamp).toMatch(RFC3339_SECONDS);
      expect(meta.deletionGracePeriodSeconds).toBe(0);
      expect(meta.finalizers).toEqual(['foregroundDeletion']);
      // Marking an object for deletion bumps its generation.
      expect(meta.generation).toBe(2);
      const lines = await watch.until((l) => l.some((e) => e.type === 'MODIFIED'));
      watch.close();
      expect(lines[0]?.object.metadata.finalizers).toEqual(['foregroundDeletion']);

      const kept = await ctx.http().get(path);
      expect(kept.status).toBe(200);
      expect(kept.body.metadata.finalizers).toEqual(['foregroundDeletion']);
      const again = await ctx.http().delete(`${path}?propagationPolicy=Foreground`);
      expect(again.body.metadata.resourceVersion).toBe(meta.resourceVersion);

      await ctx.http().patch(dependentPath, MERGE, { metadata: { finalizers: null } });
      await ctx.http().delete(dependentPath);
      expect((await ctx.http().get(dependentPath)).status).toBe(404);
      await finishDeletion(ctx.http(), path, 'foregroundDeletion');
    });

    it('adds the garbage collector finalizer after the finalizers an object has, and the body may carry the policy', async () => {
      const name = ctx.name('cm');
      const path = `${configMaps(ctx.namespace())}/${name}`;
      await ctx
        .http()
        .post(configMaps(ctx.namespace()), { metadata: { name, finalizers: ['example.com/hold'] } });
      const deleted = await ctx.http().delete(path, { propagationPolicy: 'Foreground' });
      expect(deleted.body.kind).toBe('ConfigMap');
      expect(deleted.body.metadata.finalizers).toEqual(['example.com/hold', 'foregroundDeletion']);
      const released = await ctx.http().patch(path, MERGE, { metadata: { finalizers: null } });
      expect(released.status).toBe(200);
      expect((await ctx.http().get(path)).status).toBe(404);
    });

    it('answers a dry-run foreground delete with the marked object and keeps it as it was', async () => {
      const name = ctx.name('cm');
      const path = `${configMaps(ctx.namespace())}/${name}`;
      const created = await ctx.http().post(configMaps(ctx.namespace()), { metadata: { name } });
      const dry = await ctx.http().delete(`${path}?propagationPolicy=Foreground&dryRun=All`);
      expect(dry.status).toBe(200);
      expect(dry.body.metadata.finalizers).toEqual(['foregroundDeletion']);
      expect(dry.body.metadata.deletionTimestamp).toMatch(RFC3339_SECONDS);
      expect(dry.body.metadata.resourceVersion).toBe(created.body.metadata.resourceVersion);
      expect((await ctx.http().get(path)).body).toEqual(created.body);
    });

    it('marks an orphaning delete with the orphan finalizer', async () => {
      const name = ctx.name('cm');
      const path = `${configMaps(ctx.namespace())}/${name}`;
      const owner = await ctx.http().post(configMaps(ctx.namespace()), { metadata: { name } });
      const dependent = ctx.name('cm');
      await ctx.http().post(configMaps(ctx.namespace()), {
        metadata: { name: dependent, ownerReferences: [blockingReference(owner.body)] },
      });
      const deleted = await ctx.http().delete(`${path}?propagationPolicy=Orphan`);
      expect(deleted.status).toBe(200);
      expect(deleted.body.metadata.finalizers).toEqual(['orphan']);
      expect(deleted.body.metadata.deletionTimestamp).toMatch(RFC3339_SECONDS);
      await finishDeletion(ctx.http(), path, 'orphan');
      // Orphaned, the dependent stays (a garbage collector removes the reference to the deleted owner).
      expect((await ctx.http().get(`${configMaps(ctx.namespace())}/${dependent}`)).status).toBe(200);
    });
  });
}
