import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../errors/api-error.js';
import { InvalidInputError } from '../errors/invalid-input.js';
import { isConflict, isInvalid, isNotFound } from '../errors/predicates.js';
import type { ConfigMap, Deployment, Pod } from '../model/kinds.js';
import type { NodeTransport } from '../transport/node.js';
import type { ApiWarning } from '../transport/warnings.js';
import { cluster, uniqueName, useClusterNamespace } from './__fixtures__/cluster.js';
import { createClient } from './create-client.js';
import type { ClientWrite } from './types.js';

const ctx = useClusterNamespace('client');

const configMap = (
  name: string,
  data: Record<string, string> = {},
  labels: Record<string, string> = {},
): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data,
});

const deployment = (name: string, replicas = 1): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { app: name } },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
    },
  },
});

const stopRecording: (() => void)[] = [];
afterEach(() => {
  for (const stop of stopRecording.splice(0)) stop();
});

/** Records the writes the client hands to its listeners, until the test ends. */
function recordWrites(): ClientWrite[] {
  const writes: ClientWrite[] = [];
  stopRecording.push(ctx.client.onWrite((w) => writes.push(w)));
  return writes;
}

function requests(): number {
  return (ctx.client.transport as NodeTransport).stats().requests;
}

describe.skipIf(!cluster)('the client against the API server', () => {
  describe('on a core resource (ConfigMap)', () => {
    it('creates, reads, lists, updates, patches, applies and deletes', async () => {
      const { client, namespace } = ctx;
      const writes = recordWrites();
      const name = uniqueName('cm');

      const created = await client.create(configMap(name, { a: '1' }));
      expect(created.metadata?.uid).toBeTruthy();
      expect(created.metadata?.namespace).toBe(namespace);
      expect(writes.at(-1)).toMatchObject({ verb: 'create', deleted: false, object: { metadata: { name } } });
      expect(writes.at(-1)?.resource.resource).toBe('configmaps');

      const read = await client.get('cm', name);
      expect(read).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: '1' } });

      const listed = await client.list('configmaps', { fieldSelector: { 'metadata.name': name } });
      expect(listed.map((c) => [c.apiVersion, c.kind, c.metadata?.name])).toEqual([
        ['v1', 'ConfigMap', name],
      ]);

      const updated = await client.update({ ...read, data: { a: '2' } });
      expect(updated.data).toEqual({ a: '2' });
      expect(updated.metadata?.resourceVersion).not.toBe(read.metadata?.resourceVersion);

      const merged = await client.patch({ kind: 'cm', name }, { data: { b: '3' } });
      expect(merged.data).toEqual({ a: '2', b: '3' });
      const jsonPatched = await client.patch(
        { kind: 'ConfigMap', name },
        [{ op: 'remove', path: '/data/a' }],
        { type: 'json' },
      );
      expect(jsonPatched.data).toEqual({ b: '3' });
      const strategic = await client.patch(
        jsonPatched,
        { metadata: { labels: { s: 'yes' } } },
        { type: 'strategic' },
      );
      expect(strategic.metadata?.labels).toEqual({ s: 'yes' });

      const applied = await client.apply<ConfigMap>(
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { c: '4' } },
        { force: true },
      );
      expect(applied.data).toMatchObject({ c: '4' });
      expect(applied.metadata?.managedFields?.some((f) => f.manager === 'kates')).toBe(true);

      const deleted = await client.delete({ kind: 'configmap', name });
      expect(deleted.deleted).toBe(true);
      await expect(client.get('cm', name)).rejects.toSatisfy(isNotFound);

      expect(writes.map((w) => w.verb)).toEqual([
        'create',
        'update',
        'patch',
        'patch',
        'patch',
        'apply',
        'delete',
      ]);
      expect(writes.every((w) => w.object.apiVersion === 'v1' && w.object.kind === 'ConfigMap')).toBe(true);
      expect(writes.at(-1)).toMatchObject({ deleted: true, object: { metadata: { name, namespace } } });
    });

    it('applies the same object twice without changing it the second time', async () => {
      const name = uniqueName('applied');
      const obj: ConfigMap = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, labels: { x: 'y' } },
        data: { k: 'v' },
      };
      const first = await ctx.client.apply(obj, { fieldManager: 'applier' });
      const second = await ctx.client.apply(obj, { fieldManager: 'applier' });
      expect(second.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
      expect(second.data).toEqual({ k: 'v' });
    });

    it('honours generateName', async () => {
      const created = await ctx.client.create<ConfigMap>({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { generateName: 'gen-' },
      });
      expect(created.metadata?.name).toMatch(/^gen-[a-z0-9]{5}$/);
    });

    it('lists page by page with limit and continue, with label selectors as strings or objects', async () => {
      const run = uniqueName('page');
      await Promise.all(
        Array.from({ length: 7 }, (_, i) =>
          ctx.client.create(configMap(`${run}-${i}`, {}, { run, parity: i % 2 ? 'odd' : 'even' })),
        ),
      );
      const pages = [];
      for await (const page of ctx.client.listPages('cm', { labelSelector: `run=${run}`, limit: 3 }))
        pages.push(page);
      expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1]);
      expect(pages.slice(0, 2).every((p) => p.continue)).toBe(true);
      expect(pages[2]?.continue).toBeUndefined();
      expect(pages.every((p) => p.resourceVersion)).toBe(true);

      const all = await ctx.client.list('cm', { labelSelector: { matchLabels: { run } }, limit: 2 });
      expect(all.map((c) => c.metadata?.name).sort()).toEqual(
        Array.from({ length: 7 }, (_, i) => `${run}-${i}`),
      );
      const odd = await ctx.client.list('cm', { labelSelector: `run=${run},parity in (odd)` });
      expect(odd).toHaveLength(3);
    });

    it('lists one namespace by default and every namespace with namespace "all"', async () => {
      const run = uniqueName('everywhere');
      await ctx.client.create(configMap(run, {}, { run }));
      await ctx.client.create({
        ...configMap(run, {}, { run }),
        metadata: { name: run, namespace: 'default', labels: { run } },
      });
      const here = await ctx.client.list('cm', { labelSelector: { matchLabels: { run } } });
      expect(here.map((c) => c.metadata?.namespace)).toEqual([ctx.namespace]);
      const everywhere = await ctx.client.list('cm', {
        labelSelector: { matchLabels: { run } },
        namespace: 'all',
      });
      expect(everywhere.map((c) => c.metadata?.namespace).sort()).toEqual(['default', ctx.namespace].sort());
      const flag = await ctx.client.list('cm', {
        labelSelector: { matchLabels: { run } },
        allNamespaces: true,
      });
      expect(flag).toHaveLength(2);
      await ctx.client.delete({ kind: 'cm', name: run, namespace: 'default' });
    });

    it('answers 409 Conflict to an update with a stale resourceVersion', async () => {
      const name = uniqueName('stale');
      const stale = await ctx.client.create(configMap(name, { v: '1' }));
      await ctx.client.update({ ...stale, data: { v: '2' } });
      const error = await ctx.client.update({ ...stale, data: { v: '3' } }).catch((e: unknown) => e);
      expect(isConflict(error)).toBe(true);
      expect((error as Error).message).toMatch(
        new RegExp(
          `^update configmaps "${name}" in namespace "${ctx.namespace}": 409 Conflict: .*get it again and retry`,
        ),
      );
    });

    it('deletes only while the preconditions on uid and resourceVersion hold', async () => {
      const name = uniqueName('precondition');
      const created = await ctx.client.create(configMap(name));
      const wrongUid = await ctx.client
        .delete(created, { preconditions: { uid: '00000000-0000-0000-0000-000000000000' } })
        .catch((e: unknown) => e);
      expect(isConflict(wrongUid)).toBe(true);
      await ctx.client.patch(created, { data: { changed: 'yes' } });
      const staleVersion = await ctx.client
        .delete(created, { preconditions: { resourceVersion: created.metadata?.resourceVersion } })
        .catch((e: unknown) => e);
      expect(isConflict(staleVersion)).toBe(true);
      const done = await ctx.client.delete(created, { preconditions: { uid: created.metadata?.uid } });
      expect(done.deleted).toBe(true);
    });

    it('answers 404 NotFound to the delete of a missing object', async () => {
      const error = await ctx.client.delete({ kind: 'cm', name: 'never-was' }).catch((e: unknown) => e);
      expect(isNotFound(error)).toBe(true);
      expect((error as Error).message).toBe(
        `delete configmaps "never-was" in namespace "${ctx.namespace}": 404 NotFound: ` +
          'configmaps "never-was" not found',
      );
    });

    it('says a delete held by a finalizer did not delete yet, and hands that to the store', async () => {
      const writes = recordWrites();
      const name = uniqueName('finalized');
      await ctx.client.create({ ...configMap(name), metadata: { name, finalizers: ['example.com/hold'] } });
      const held = await ctx.client.delete({ kind: 'cm', name });
      expect(held.deleted).toBe(false);
      expect(held.object.metadata?.deletionTimestamp).toBeTruthy();
      expect(writes.at(-1)).toMatchObject({ verb: 'delete', deleted: false });
      await ctx.client.patch({ kind: 'cm', name }, { metadata: { finalizers: null } });
      await expect(ctx.client.get('cm', name)).rejects.toSatisfy(isNotFound);
    });

    it('does not hand dry runs to the store', async () => {
      const writes = recordWrites();
      const dry = await ctx.client.create(configMap(uniqueName('dry')), { dryRun: true });
      expect(dry.metadata?.uid).toBeTruthy();
      expect(writes).toEqual([]);
      await expect(ctx.client.get('cm', dry.metadata?.name ?? '')).rejects.toSatisfy(isNotFound);
    });

    it('rejects a write whose listener throws, saying the write itself succeeded', async () => {
      const stop = ctx.client.onWrite(() => {
        throw new Error('listener bug');
      });
      const name = uniqueName('listener');
      try {
        await expect(ctx.client.create(configMap(name))).rejects.toThrow(
          'create ConfigMap succeeded, but an onWrite listener threw: listener bug',
        );
      } finally {
        stop();
      }
      expect((await ctx.client.get('cm', name)).metadata?.name).toBe(name);
    });
  });

  describe('on an apps resource (Deployment)', () => {
    it('creates, reads, lists, updates, updates the status, patches, applies and deletes', async () => {
      const { client } = ctx;
      const writes = recordWrites();
      const name = uniqueName('web');
      const created = await client.create(deployment(name));
      expect(created.spec?.replicas).toBe(1);

      const read = await client.get('deploy', name);
      expect(read.kind).toBe('Deployment');
      const listed = await client.list('deployments.apps', { labelSelector: { matchLabels: { app: name } } });
      expect(listed.map((d) => d.metadata?.name)).toEqual([name]);

      const updated = await client.update({ ...read, spec: { ...read.spec!, replicas: 2 } });
      expect(updated.spec?.replicas).toBe(2);

      const withStatus = await client.updateStatus({
        ...updated,
        status: { replicas: 2, readyReplicas: 1, observedGeneration: updated.metadata?.generation },
      });
      expect(withStatus.status?.readyReplicas).toBe(1);
      expect(withStatus.spec?.replicas).toBe(2);

      // A strategic merge patch merges containers by name instead of replacing the list.
      const sidecar = await client.patch(
        { kind: 'Deployment.v1.apps', name },
        {
          spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox:1.36' }] } } },
        },
        { type: 'strategic' },
      );
      expect(sidecar.spec?.template.spec?.containers.map((c) => c.name).sort()).toEqual(['sidecar', 'web']);

      const scaled = await client.patch(
        { kind: 'apps/v1/Deployment', name },
        { spec: { replicas: 3 } },
        { subresource: 'scale' },
      );
      expect(scaled.kind).toBe('Scale');

      const applied = await client.apply(
        { ...deployment(name, 4), metadata: { name, labels: { app: name } } },
        { force: true, fieldManager: 'ops' },
      );
      expect(applied.spec?.replicas).toBe(4);

      const gone = await client.delete(applied, { propagationPolicy: 'Background' });
      expect(gone.deleted).toBe(true);
      expect(writes.map((w) => w.verb)).toEqual([
        'create',
        'update',
        'updateStatus',
        'patch',
        'patch',
        'apply',
        'delete',
      ]);
    });

    it('marks a foreground delete as not yet deleted', async () => {
      const name = uniqueName('fg');
      await ctx.client.create(deployment(name));
      const result = await ctx.client.delete({ kind: 'deploy', name }, { propagationPolicy: 'Foreground' });
      expect(result.deleted).toBe(false);
      expect(result.object.metadata?.finalizers).toContain('foregroundDeletion');
    });
  });

  describe('with bad input', () => {
    it('refuses an object without a name before any request, naming the kind', async () => {
      const before = requests();
      await ctx.client.get('pods', 'warm-discovery').catch(() => undefined);
      const sent = requests();
      const error = await ctx.client
        .create({ apiVersion: 'v1', kind: 'Pod', metadata: {} } as Pod)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as Error).message).toBe(
        'create Pod: metadata.name is required (or metadata.generateName, for a ' +
          'name the API server completes)',
      );
      expect((error as Error).stack).toBeDefined();
      const update = await ctx.client
        .update({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: {} })
        .catch((e: unknown) => e);
      expect((update as Error).message).toBe(
        'update Deployment.apps: metadata.name is required; set it to the name of ' + 'the object',
      );
      expect(requests()).toBe(sent);
      expect(sent).toBeGreaterThan(before);
    });

    it('refuses an unknown field by default, as kubectl does, naming the field', async () => {
      const name = uniqueName('strict');
      const misspelt = { ...configMap(name), dat: { a: '1' } } as ConfigMap;
      const error = await ctx.client.create(misspelt).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe(400);
      expect((error as Error).message).toContain('create configmaps');
      expect((error as Error).message).toContain(name);
      expect((error as Error).message).toMatch(/unknown field "dat"/);
      // Nothing was created, and the same holds for update and patch.
      expect(await ctx.client.get('cm', name).catch(isNotFound)).toBe(true);
      const created = await ctx.client.create(configMap(name, { a: '1' }));
      await expect(ctx.client.update({ ...created, dat: {} } as ConfigMap)).rejects.toThrow(
        /unknown field "dat"/,
      );
      await expect(ctx.client.patch({ kind: 'cm', name }, { dat: {} })).rejects.toThrow(
        /unknown field "dat"/,
      );
      // Server-side apply refuses fields its schema lacks whatever the validation (a 500 from
      // kube-apiserver, naming the field).
      await expect(ctx.client.apply({ ...configMap(name), dat: {} } as ConfigMap)).rejects.toThrow(
        /\.dat: field not declared in schema/,
      );
      expect((await ctx.client.get('cm', name)).data).toEqual({ a: '1' });
    });

    it('drops unknown fields under Warn and reports the warning; drops them silently under Ignore', async () => {
      const warnings: ApiWarning[] = [];
      const client = createClient({
        kubeconfig: ctx.kubeconfigPath,
        namespace: ctx.namespace,
        fieldValidation: 'Warn',
        onWarning: (w) => warnings.push(w),
      });
      try {
        const name = uniqueName('warn');
        const created = await client.create({ ...configMap(name, { a: '1' }), dat: {} } as ConfigMap);
        expect(created.data).toEqual({ a: '1' });
        expect(created).not.toHaveProperty('dat');
        expect(warnings).toHaveLength(1);
        expect(warnings[0]!.text).toMatch(/unknown field "dat"/);
        expect(warnings[0]!.method).toBe('POST');
        expect(warnings[0]!.path).toBe(`/api/v1/namespaces/${ctx.namespace}/configmaps`);

        // Per call, the option wins over the client's.
        await client.patch(
          { kind: 'cm', name },
          { dat: {}, data: { a: '2' } },
          { fieldValidation: 'Ignore' },
        );
        expect(warnings).toHaveLength(1);
        await expect(
          client.patch({ kind: 'cm', name }, { dat: {} }, { fieldValidation: 'Strict' }),
        ).rejects.toThrow(/unknown field "dat"/);
        expect((await client.get('cm', name)).data).toEqual({ a: '2' });
      } finally {
        client.close();
      }
    });

    it('refuses an object without apiVersion or kind', async () => {
      const error = await ctx.client
        .create({ kind: 'ConfigMap', metadata: { name: 'x' } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as Error).message).toMatch(
        /^create: the object has no apiVersion; set both apiVersion and kind/,
      );
    });

    it('names the closest kinds for an unknown kind', async () => {
      await expect(ctx.client.get('confgimap', 'x')).rejects.toThrow(
        /^unknown kind "confgimap": the server has no resource type by that name\. Did you mean "ConfigMap"/,
      );
      await expect(
        ctx.client.create({ apiVersion: 'v1', kind: 'Widget', metadata: { name: 'w' } }),
      ).rejects.toThrow(/^unknown kind "v1\/Widget"/);
    });

    it('gives the field causes of an invalid object', async () => {
      const error = await ctx.client.create(configMap('Not_A_Valid_Name')).catch((e: unknown) => e);
      expect(isInvalid(error)).toBe(true);
      const causes = (error as { causes: { field?: string }[] }).causes;
      expect(causes.map((c) => c.field)).toContain('metadata.name');
      expect((error as Error).message).toMatch(
        /^create configmaps "Not_A_Valid_Name" in namespace "[^"]+": 422 Invalid: /,
      );
    });

    it('refuses updateStatus on a kind without a status subresource, and a JSON patch that is not a list', async () => {
      const name = uniqueName('nostatus');
      const cm = await ctx.client.create(configMap(name));
      await expect(ctx.client.updateStatus(cm)).rejects.toThrow(
        'updateStatus ConfigMap: configmaps has no status ' +
          'subresource; use update() to write the whole object',
      );
      await expect(ctx.client.patch(cm, { op: 'add' }, { type: 'json' })).rejects.toThrow(
        /a JSON patch is an array/,
      );
    });

    it('refuses a reference where the verb sends the whole object', async () => {
      const error = await ctx.client.update({ kind: 'cm', name: 'x' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as Error).message).toBe(
        'update: expected the object itself (apiVersion, kind, metadata and fields), ' +
          'got a reference to cm "x"',
      );
    });

    it('refuses a malformed label selector with the syntax', async () => {
      await expect(ctx.client.list('cm', { labelSelector: 'a in b' })).rejects.toThrow(
        /Label selector syntax/,
      );
    });
  });

  describe('namespaces', () => {
    it('defaults namespaced calls to the client namespace and ignores namespaces for cluster-scoped kinds', async () => {
      expect(ctx.client.namespace).toBe(ctx.namespace);
      const ns = await ctx.client.get('ns', ctx.namespace, { namespace: 'ignored' });
      expect(ns.metadata?.name).toBe(ctx.namespace);
      const name = uniqueName('here');
      const created = await ctx.client.create(configMap(name));
      expect(created.metadata?.namespace).toBe(ctx.namespace);
    });
  });
});
