import { type Client, type ConfigMap, createClient, isNotFound } from '@kates/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFinalizer, hasFinalizer, removeFinalizer, withFinalizer } from '../finalizers.js';

/** A server to run against: its kubeconfig, and how to stop what was started for it. */
export interface ServerUnderTest {
  readonly kubeconfigPath: string;
  stop(): Promise<void>;
}

const FINALIZER = 'example.com/cleanup';

/**
 * The finalizer helpers against an API server, written once and run against the fake one and the
 * real kube-apiserver (which deletes an object itself once its last finalizer is removed).
 */
export function describeFinalizersOn(serverName: string, start: () => Promise<ServerUnderTest>): void {
  describe(`finalizers against ${serverName}`, () => {
    const namespace = `finalizers-${Math.random().toString(36).slice(2, 7)}`;
    let server: ServerUnderTest;
    let client: Client;
    let n = 0;

    beforeAll(async () => {
      server = await start();
      client = createClient({ kubeconfig: server.kubeconfigPath });
      await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    });
    afterAll(async () => {
      await client?.delete({ kind: 'ns', name: namespace }).catch(() => {});
      client?.close();
      await server?.stop();
    });

    const configMap = (finalizers?: string[]) =>
      client.create<ConfigMap>({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `cm-${++n}`, namespace, ...(finalizers ? { finalizers } : {}) },
      });
    const read = (cm: ConfigMap) => client.get<ConfigMap>('cm', cm.metadata?.name as string, { namespace });
    const gone = async (cm: ConfigMap) =>
      read(cm).then(
        () => false,
        (e: unknown) => isNotFound(e),
      );

    it('adds the finalizer before apply acts, and apply sees it on the object', async () => {
      const cm = await configMap();
      let seen: ConfigMap | undefined;
      const result = await withFinalizer(client, cm, FINALIZER, {
        apply: (obj) => {
          seen = obj;
          return 'applied';
        },
        cleanup: () => {
          throw new Error('not deleting');
        },
      });
      expect(result).toBe('applied');
      expect(hasFinalizer(seen as ConfigMap, FINALIZER)).toBe(true);
      expect((await read(cm)).metadata?.finalizers).toEqual([FINALIZER]);
      // Already there: no write.
      const again = await addFinalizer(client, seen as ConfigMap, FINALIZER);
      expect(again?.metadata?.resourceVersion).toBe(seen?.metadata?.resourceVersion);
      await removeFinalizer(client, await read(cm), FINALIZER);
    });

    it('does not lose a change made between the read and the write: the guarded patch conflicts and is retried', async () => {
      const stale = await configMap(['example.com/other']);
      await client.patch(stale, { metadata: { labels: { changed: 'meanwhile' } } });
      const added = await addFinalizer(client, stale, FINALIZER);
      expect(added?.metadata?.labels).toEqual({ changed: 'meanwhile' });
      expect(added?.metadata?.finalizers).toEqual(['example.com/other', FINALIZER]);
      const removed = await removeFinalizer(client, stale, FINALIZER);
      expect(removed?.metadata?.finalizers).toEqual(['example.com/other']);
      await removeFinalizer(client, removed as ConfigMap, 'example.com/other');
    });

    it('runs cleanup once the object is being deleted, then removes the finalizer, and the object goes', async () => {
      const cm = await configMap([FINALIZER]);
      await client.delete(cm);
      const deleting = await read(cm);
      expect(deleting.metadata?.deletionTimestamp).toBeTruthy();
      const cleaned: string[] = [];
      const result = await withFinalizer(client, deleting, FINALIZER, {
        apply: () => 'applied',
        cleanup: (obj) => {
          cleaned.push(obj.metadata?.name as string);
        },
      });
      expect(result).toBeUndefined();
      expect(cleaned).toEqual([cm.metadata?.name]);
      expect(await gone(cm)).toBe(true);
    });

    it('keeps the finalizer while cleanup fails, so the object stays until it succeeds', async () => {
      const cm = await configMap([FINALIZER]);
      await client.delete(cm);
      const handlers = {
        apply: () => 'applied',
        cleanup: () => {
          throw new Error('the load balancer is still attached');
        },
      };
      await expect(withFinalizer(client, await read(cm), FINALIZER, handlers)).rejects.toThrow(
        'the load balancer is still attached',
      );
      expect((await read(cm)).metadata?.finalizers).toEqual([FINALIZER]);
      await withFinalizer(client, await read(cm), FINALIZER, { ...handlers, cleanup: () => {} });
      expect(await gone(cm)).toBe(true);
    });

    it('leaves alone an object being deleted without this finalizer, and refuses to add one to it', async () => {
      const cm = await configMap(['example.com/other']);
      await client.delete(cm);
      const deleting = await read(cm);
      let cleanups = 0;
      const result = await withFinalizer(client, deleting, FINALIZER, {
        apply: () => 'applied',
        cleanup: () => {
          cleanups++;
        },
      });
      expect([result, cleanups]).toEqual([undefined, 0]);
      await expect(addFinalizer(client, deleting, FINALIZER)).rejects.toThrow(/is being deleted/);
      await removeFinalizer(client, deleting, 'example.com/other');
      expect(await gone(cm)).toBe(true);
    });
  });
}
