import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realCluster } from '../../../testing/src/vitest/cluster.js';
import { Client, createClient } from '../client/index.js';
import type { ConfigMap } from '../model/kinds.js';
import type { KubernetesObject } from '../model/object.js';
import type { TransportRequest } from '../transport/types.js';

const cluster = realCluster();
const ns = `acc-${Date.now().toString(36)}`;
const other = `${ns}-b`;
// Label key unique to this run: other test files share the cluster and label their objects too.
const tierKey = `tier-${ns}`;

const names = (items: readonly KubernetesObject[] | undefined) => (items ?? []).map((o) => o.metadata?.name);

/** A client whose requests are seen on their way out. */
function spiedClient(): { spied: Client; sent: TransportRequest[] } {
  const inner = createClient({ kubeconfig: cluster!.kubeconfigPath }).transport;
  const sent: TransportRequest[] = [];
  const spied = new Client({
    transport: {
      server: inner.server,
      request: (req) => {
        sent.push(req);
        return inner.request(req);
      },
      close: () => inner.close?.(),
    },
    namespace: ns,
  });
  return { spied, sent };
}

describe.skipIf(!cluster)('client.watch against the real API server', () => {
  let client: Client;

  beforeAll(async () => {
    client = createClient({ kubeconfig: cluster!.kubeconfigPath, namespace: ns });
    for (const name of [ns, other])
      await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  });
  afterAll(async () => {
    for (const name of [ns, other]) await client.delete({ kind: 'Namespace', name }).catch(() => {});
    client?.close();
  });

  it('signals first only after every query is listed: empty, label-selected, field-selected and one-namespace', async () => {
    for (let i = 0; i < 3; i++) {
      await client.create<ConfigMap>({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `boot-${i}`, namespace: ns, labels: { [tierKey]: i === 0 ? 'web' : 'db' } },
      });
    }
    await client.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'elsewhere', namespace: other },
    });
    const acc = client.watch(
      { name: 'none', kind: 'cm', namespace: ns, labelSelector: 'tier=absent' },
      { name: 'web', kind: 'configmaps', labelSelector: { matchLabels: { [tierKey]: 'web' } } },
      { name: 'named', kind: 'ConfigMap', fieldSelector: { 'metadata.name': 'boot-2' } },
      { name: 'other', kind: 'cm', namespace: other },
    );
    try {
      await acc.changed();
      const status = acc.status();
      expect(Object.values(status).every((s) => s.synced)).toBe(true);
      const snap: Partial<typeof acc extends { getSnapshot(): infer S } ? S : never> = {};
      expect(acc.update(snap)).toBe(true);
      expect(names(snap.none)).toEqual([]);
      expect(names(snap.web)).toEqual(['boot-0']);
      expect(names(snap.named)).toEqual(['boot-2']);
      expect(names(snap.other)).toEqual(['elsewhere']);
    } finally {
      acc.close();
    }
  });

  it('signals even for a watch that matches nothing', async () => {
    const acc = client.watch({ name: 'nothing', kind: 'cm', namespace: ns, labelSelector: 'no-such-label' });
    try {
      await acc.changed();
      const snap: { nothing?: readonly KubernetesObject[] } = {};
      expect(acc.update(snap)).toBe(true);
      expect(snap.nothing).toEqual([]);
    } finally {
      acc.close();
    }
  });

  it('holds a 1 MB ConfigMap from the first list and from the watch, whole, the first list streamed', async () => {
    const big = (c: string) => ({ blob: c.repeat(1 << 20) });
    await client.create<ConfigMap>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'big-listed', namespace: ns, labels: { [tierKey]: 'big' } },
      data: big('a'),
    });
    const { spied, sent } = spiedClient();
    const acc = spied.watch({ name: 'big', kind: 'cm', namespace: ns, labelSelector: `${tierKey}=big` });
    try {
      const snap: { big?: readonly ConfigMap[] } = {};
      const lengths = () => {
        acc.update(snap);
        return snap.big?.map((o) => o.data?.blob?.length);
      };
      await acc.changed();
      await expect.poll(lengths, { timeout: 10_000 }).toEqual([1 << 20]);
      // No object ends in the first 60,000 characters of the first LIST page: a page of 2000 such
      // could be no string, so the collection is streamed (STREAMED_ABOVE_CHARS, reflector.ts).
      const firstLists = sent.filter((r) => r.path.endsWith('/configmaps'));
      expect(
        firstLists.map((r) => (r.query?.sendInitialEvents ? 'stream' : r.query?.watch ? 'watch' : 'list')),
      ).toEqual(expect.arrayContaining(['list', 'stream']));
      expect(firstLists.some((r) => r.query?.continue)).toBe(false);
      // Created behind the client's back (another client), so that only the watch can bring it.
      const other = createClient({ kubeconfig: cluster!.kubeconfigPath, namespace: ns });
      try {
        await other.create<ConfigMap>({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'big-watched', namespace: ns, labels: { [tierKey]: 'big' } },
          data: big('b'),
        });
      } finally {
        other.close();
      }
      await expect
        .poll(
          () => {
            acc.update(snap);
            return snap.big?.length;
          },
          { timeout: 10_000 },
        )
        .toBe(2);
      expect(snap.big?.[1]?.data?.blob).toBe('b'.repeat(1 << 20));
      expect(acc.status().big?.error).toBeUndefined();
    } finally {
      acc.close();
      spied.close();
    }
  });

  it('gives one signal for a burst of 10 creates within a long interval', async () => {
    const acc = client.watch(
      { name: 'burst', kind: 'cm', namespace: ns, labelSelector: 'burst=yes' },
      { interval: 3000 },
    );
    try {
      await acc.changed();
      acc.update({});
      let signals = 0;
      let stop = false;
      const counting = (async () => {
        while (!stop) {
          await acc.changed();
          if (stop) return;
          signals++;
          acc.update({});
        }
      })();
      // Wait out the bootstrap signal's interval so that the burst starts a fresh one.
      await new Promise((r) => setTimeout(r, 3100));
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          client.create({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: `burst-${i}`, namespace: ns, labels: { burst: 'yes' } },
          }),
        ),
      );
      await new Promise((r) => setTimeout(r, 1500));
      // All 10 writes are folded in at once (coherence) and signalled together, once.
      expect(signals).toBe(1);
      const snap: { burst?: readonly KubernetesObject[] } = {};
      acc.update(snap);
      expect(snap.burst).toHaveLength(10);
      stop = true;
      acc.close();
      await counting;
    } finally {
      acc.close();
    }
  });

  it('shows its own writes in the next snapshot, before the watch delivers them', async () => {
    const acc = client.watch({ name: 'cms', kind: 'cm', namespace: ns, labelSelector: 'coherent=yes' });
    try {
      await acc.changed();
      acc.update({});
      const created = await client.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'coherent', namespace: ns, labels: { coherent: 'yes' } },
        data: { v: '1' },
      });
      const snap: { cms?: readonly KubernetesObject[] } = {};
      acc.update(snap);
      expect(snap.cms?.map((o) => o.metadata?.uid)).toEqual([created.metadata?.uid]);
      await client.delete(created);
      acc.update(snap);
      expect(snap.cms).toEqual([]);
    } finally {
      acc.close();
    }
  });

  it("starts an accumulator made right after a write with that write: its first list is not older than the client's write", async () => {
    const { spied, sent } = spiedClient();
    try {
      for (let i = 0; i < 5; i++) {
        const name = `fresh-${i}`;
        const created = await spied.create<ConfigMap>({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, namespace: ns, labels: { [tierKey]: name } },
        });
        const before = sent.length;
        const acc = spied.watch({
          name: 'mine',
          kind: 'cm',
          namespace: ns,
          labelSelector: `${tierKey}=${name}`,
        });
        try {
          await acc.changed();
          expect(names(acc.getSnapshot().mine)).toEqual([name]);
        } finally {
          acc.close();
        }
        // One list (a streaming list by default), served as asked: from the cache, but not older
        // than the create.
        const lists = sent
          .slice(before)
          .filter((r) => r.path.endsWith('/configmaps') && (!r.query?.watch || r.query.sendInitialEvents));
        expect(lists).toHaveLength(1);
        expect(lists[0]!.query).toMatchObject({
          resourceVersion: created.metadata?.resourceVersion,
          resourceVersionMatch: 'NotOlderThan',
        });
      }
    } finally {
      spied.close();
    }
  });

  it('shows the last value written in every snapshot during 25 rapid upserts', async () => {
    const acc = client.watch({
      name: 'cm',
      kind: 'cm',
      namespace: ns,
      fieldSelector: 'metadata.name=upserted',
    });
    try {
      await acc.changed();
      for (let i = 0; i < 25; i++) {
        await client.upsert({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'upserted', namespace: ns },
          data: { value: String(i) },
        });
        const snap: { cm?: readonly KubernetesObject[] } = {};
        acc.update(snap);
        expect(snap.cm?.[0]?.data?.value).toBe(String(i));
      }
    } finally {
      acc.close();
    }
  });

  it('reports a kind the cluster does not serve yet, then picks it up once its CRD exists', async () => {
    const group = 'acc.kates.dev';
    const acc = client.watch(
      { name: 'gadgets', kind: `gadgets.${group}` },
      { name: 'cms', kind: 'cm', namespace: ns },
      { rediscoverEvery: 500 },
    );
    try {
      await acc.changed();
      expect(acc.status().gadgets?.phase).toBe('unserved');
      expect(acc.status().gadgets?.error?.message).toMatch(
        /not served by this cluster; waiting for it to appear/,
      );
      await client.create({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: `gadgets.${group}` },
        spec: {
          group,
          scope: 'Namespaced',
          names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            },
          ],
        },
      });
      await expect
        .poll(
          async () => {
            try {
              await client.create({
                apiVersion: `${group}/v1`,
                kind: 'Gadget',
                metadata: { name: 'g1', namespace: ns },
              });
              return true;
            } catch {
              return false;
            }
          },
          { timeout: 20_000, interval: 500 },
        )
        .toBe(true);
      await expect.poll(() => acc.status().gadgets?.phase, { timeout: 20_000 }).toBe('synced');
      const snap: { gadgets?: readonly KubernetesObject[] } = {};
      await expect
        .poll(
          () => {
            acc.update(snap);
            return names(snap.gadgets);
          },
          { timeout: 10_000 },
        )
        .toEqual(['g1']);
    } finally {
      acc.close();
      await client.delete({ kind: 'CustomResourceDefinition', name: `gadgets.${group}` }).catch(() => {});
    }
  });

  it('shares one watch between queries that ask for the same thing', async () => {
    const a = client.watch({ name: 'x', kind: 'cm', namespace: ns });
    const b = client.watch({ name: 'y', kind: 'configmaps', namespace: ns });
    try {
      await Promise.all([a.changed(), b.changed()]);
      const sa: { x?: readonly KubernetesObject[] } = {};
      const sb: { y?: readonly KubernetesObject[] } = {};
      a.update(sa);
      b.update(sb);
      expect(sa.x!.length).toBeGreaterThan(0);
      // The very same objects: held once by UID.
      expect(sa.x!.every((o, i) => o === sb.y![i])).toBe(true);
      const keys = Object.keys(client.store.getState().kates.reflectors).filter((k) => k.includes(`|${ns}|`));
      expect(keys).toHaveLength(1);
    } finally {
      a.close();
      b.close();
    }
  });
});
