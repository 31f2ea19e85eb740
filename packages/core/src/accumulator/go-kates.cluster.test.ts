/**
 * Go kates' own accumulator and client tests (pkg/kates accumulator_test.go, client_test.go),
 * ported to kates for TypeScript and run on either server (`KATES_TEST_SERVER`). Where Go kates
 * slowed its informer with the `watchAdded`/`watchUpdated`/`watchDeleted` hooks, these tests put
 * a slowed-watch proxy between the client and the API server, which delays the chosen watch
 * events on the wire. Each test then goes on until the slowed events have all arrived, which Go
 * kates' did not: a late event is only a test of coherence once it has come.
 */
import { describe, expect, it } from 'vitest';
import { cluster, uniqueName, useClusterNamespace } from '../client/__fixtures__/cluster.js';
import type { ConfigMap, Secret } from '../model/kinds.js';
import type { KubernetesObject } from '../model/object.js';
import { describeSeen, Observer, useSlowedClients } from './__fixtures__/slowed.js';
import type { Delta } from './delta.js';

const ns = useClusterNamespace('go-kates');
const slowedClient = useSlowedClients(() => ns.kubeconfigPath, ns.namespace);

const configMap = (name: string, labels: Record<string, string> = {}): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
});
const names = (items: readonly KubernetesObject[] | undefined) => (items ?? []).map((o) => o.metadata?.name);
const has = (deltas: readonly Delta[], type: Delta['type'], name: string) =>
  deltas.some((d) => d.type === type && d.name === name);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!cluster)('Go kates accumulator tests, with slowed watches', () => {
  // Go: 1 s per added event over 10 ConfigMaps. 300 ms keeps the meaning (the initial events
  // trickle in over 3 s, sixty times the signal interval) at a third of the time.
  it('bootstraps with slow dispatch: the first snapshot holds every object that existed', async () => {
    const label = uniqueName('bootstrap');
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        ns.client.create(configMap(`test-bootstrap-${i}`, { test: label })),
      ),
    );
    // A streaming list sends the existing objects as ADDED events on the watch, which the proxy
    // slows, as Go kates' informer dispatched its initial list through `watchAdded`.
    const { client, slowed } = await slowedClient(
      [{ resource: 'configmaps', types: ['ADDED'], delayMs: 300 }],
      { reflector: { initialList: 'stream' } },
    );
    const acc = client.watch({
      name: 'configMaps',
      kind: 'ConfigMap',
      namespace: ns.namespace,
      labelSelector: `test=${label}`,
    });
    try {
      const observer = new Observer(acc);
      await observer.next(30_000);
      expect(names(observer.snapshot.configMaps)).toHaveLength(10);
      expect(slowed.counters.slowed).toBeGreaterThanOrEqual(10);
    } finally {
      acc.close();
    }
  });

  it.each(['list', 'stream'] as const)('signals even on an empty watch (initial %s)', async (initialList) => {
    const { client } = await slowedClient([{ resource: 'configmaps', delayMs: 5000 }], {
      reflector: { initialList },
    });
    const acc = client.watch({
      name: 'configMaps',
      kind: 'ConfigMap',
      namespace: ns.namespace,
      labelSelector: 'nonexistent-label',
    });
    try {
      const observer = new Observer(acc);
      await observer.next(10_000);
      expect(observer.snapshot.configMaps).toEqual([]);
    } finally {
      acc.close();
    }
  });
});

describe.skipIf(!cluster)('Go kates client tests, with slowed watches', () => {
  // Go: the ConfigMap watch slowed by 5 s per event, Secrets at normal speed, 25 upserts of each
  // as fast as they go, every update showing the last upsert. With 5 s the test ended before the
  // first slowed event came; at 250 ms per event the 26 late events arrive over 6.5 s, during and
  // after the upserts, and the test reads every update until the last of them has arrived.
  it('keeps coherence: every update shows the last upsert while the ConfigMap watch lags (TestCoherence)', async () => {
    const { client, slowed } = await slowedClient([{ resource: 'configmaps', delayMs: 250 }]);
    const acc = client.watch(
      {
        name: 'configMaps',
        kind: 'ConfigMap',
        namespace: ns.namespace,
        fieldSelector: { 'metadata.name': 'test-coherence' },
      },
      {
        name: 'secrets',
        kind: 'Secret',
        namespace: ns.namespace,
        fieldSelector: { 'metadata.name': 'test-coherence' },
      },
    );
    const observer = new Observer(acc);
    const COUNT = 25;
    let lastSent = -1;
    const stale: string[] = [];
    let checked = 0;
    // Go holds a mutex across each pair of upserts and each update: an update never falls between
    // the ConfigMap's upsert and the Secret's.
    let lock: Promise<unknown> = Promise.resolve();
    const exclusive = <T>(fn: () => Promise<T> | T): Promise<T> => {
      const run = lock.then(fn);
      lock = run.catch(() => undefined);
      return run;
    };
    const check = () => {
      const seen = observer.log.at(-1);
      if (lastSent < 0 || !seen) return;
      checked++;
      const counter = observer.snapshot.configMaps?.[0]?.metadata?.labels?.counter;
      if (counter !== `upsert-${lastSent}`) stale.push(`after upsert-${lastSent}: ${describeSeen(seen)}`);
    };
    let writing = true;
    const watching = (async () => {
      await observer.next();
      while (writing || slowed.held > 0) {
        await Promise.race([acc.changed(), sleep(200)]);
        await exclusive(() => {
          if (observer.updateNow()) check();
        });
      }
    })();
    try {
      const cm: ConfigMap = configMap('test-coherence');
      const secret: Secret = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'test-coherence', labels: {} },
      };
      for (let counter = 0; counter <= COUNT; counter++) {
        await exclusive(async () => {
          const label = { counter: `upsert-${counter}` };
          await client.upsert({ ...cm, metadata: { ...cm.metadata, labels: label } });
          await client.upsert({ ...secret, metadata: { ...secret.metadata, labels: label } });
          lastSent = counter;
        });
      }
      writing = false;
      await watching;
      await exclusive(() => {
        observer.updateNow();
        check();
      });
      expect(stale, `stale updates:\n${stale.join('\n')}`).toEqual([]);
      expect(observer.snapshot.configMaps?.[0]?.metadata?.labels?.counter).toBe(`upsert-${COUNT}`);
      expect(checked).toBeGreaterThan(1);
      // The ConfigMap's events were slowed, and they all came before the end.
      expect(slowed.counters.slowed).toBeGreaterThanOrEqual(COUNT);
    } finally {
      writing = false;
      acc.close();
    }
  });

  /**
   * Go's doDeltaTest: upsert two ConfigMaps, then update one, then delete it; each step's next
   * update reports exactly that step's deltas. Then, beyond Go, every update until the watch has
   * delivered all it held: the deleted ConfigMap is never shown again, and no `add` names it.
   */
  it.each([
    { delay: 'no delay', localMs: 0, remoteMs: 0 },
    { delay: 'a 3 s local delay', localMs: 3000, remoteMs: 0 },
    { delay: 'a 3 s remote delay', localMs: 0, remoteMs: 3000 },
  ])(
    'reports the deltas of add, update and delete with $delay (TestDeltas)',
    async ({ localMs, remoteMs }) => {
      const { client, slowed } = await slowedClient(
        remoteMs ? [{ resource: 'configmaps', name: /^test-deltas/, delayMs: remoteMs }] : [],
      );
      const prefix = uniqueName('test-deltas');
      const [one, two] = [`${prefix}-1`, `${prefix}-2`];
      const acc = client.watch({
        name: 'configMaps',
        kind: 'ConfigMap',
        namespace: ns.namespace,
        labelSelector: `deltas=${prefix}`,
      });
      try {
        const observer = new Observer(acc);
        await observer.next();
        expect(observer.snapshot.configMaps).toEqual([]);

        const cm1 = await client.upsert(configMap(one, { deltas: prefix }));
        await client.upsert(configMap(two, { deltas: prefix }));
        await sleep(localMs);
        let deltas = await observer.next();
        expect(has(deltas, 'add', one) && has(deltas, 'add', two), observer.describe()).toBe(true);

        await client.upsert(configMap(one, { deltas: prefix, foo: 'bar' }));
        deltas = await observer.next();
        expect(has(deltas, 'update', one), observer.describe()).toBe(true);
        expect(
          deltas.filter((d) => d.name === two),
          observer.describe(),
        ).toEqual([]);

        await client.delete(cm1);
        await sleep(localMs);
        const deletedAt = observer.log.length;
        deltas = await observer.next();
        expect(has(deltas, 'delete', one), observer.describe()).toBe(true);
        expect(
          deltas.filter((d) => d.name === two),
          observer.describe(),
        ).toEqual([]);

        const after = await observer.until(slowed.drained());
        const resurrected = after.filter(
          (s) => names(s.fields.configMaps).includes(one) || has(s.deltas, 'add', one),
        );
        expect(
          resurrected.map(describeSeen),
          `updates after the delete:\n${observer.describe(deletedAt)}`,
        ).toEqual([]);
        expect(names(observer.snapshot.configMaps)).toEqual([two]);
        if (remoteMs) expect(slowed.counters.slowed).toBeGreaterThanOrEqual(4);
      } finally {
        acc.close();
      }
    },
    60_000,
  );

  /**
   * #17: a client creates, patches and deletes a ConfigMap while the ConfigMap watch trails by
   * 2.5 s, as on a loaded API server. The delete of a ConfigMap is answered with a Status (no
   * resourceVersion); the deleted object must never come back, whatever the late watch brings.
   */
  it.each([
    { form: 'the object', byReference: false },
    { form: 'a reference (no uid)', byReference: true },
  ])(
    'never shows an object again after deleting it by $form, while the watch lags behind create and patch',
    async ({ byReference }) => {
      const { client, slowed } = await slowedClient([{ resource: 'configmaps', delayMs: 2500, pace: 'lag' }]);
      const name = uniqueName('lagging');
      const acc = client.watch({
        name: 'configMaps',
        kind: 'ConfigMap',
        namespace: ns.namespace,
        fieldSelector: { 'metadata.name': name },
      });
      try {
        const observer = new Observer(acc);
        await observer.next();

        const created = await client.create({ ...configMap(name), data: { step: 'created' } });
        let deltas = observer.updateNow() ?? [];
        expect(has(deltas, 'add', name), observer.describe()).toBe(true);

        await client.patch(created, { data: { step: 'patched' } });
        deltas = observer.updateNow() ?? [];
        expect(has(deltas, 'update', name), observer.describe()).toBe(true);
        expect((observer.snapshot.configMaps?.[0] as ConfigMap | undefined)?.data?.step).toBe('patched');

        const result = byReference
          ? await client.delete({ kind: 'ConfigMap', name })
          : await client.delete(created);
        expect(result.deleted).toBe(true);
        const deletedAt = observer.log.length;
        deltas = observer.updateNow() ?? [];
        expect(has(deltas, 'delete', name), observer.describe()).toBe(true);
        expect(observer.snapshot.configMaps).toEqual([]);

        const after = await observer.until(slowed.drained());
        const resurrected = after.filter(
          (s) => names(s.fields.configMaps).includes(name) || has(s.deltas, 'add', name),
        );
        expect(
          resurrected.map(describeSeen),
          `updates after the delete:\n${observer.describe(deletedAt)}`,
        ).toEqual([]);
        expect(observer.snapshot.configMaps).toEqual([]);
        // The watch did lag: its ADDED, MODIFIED and DELETED came through the proxy late.
        expect(slowed.counters.slowed).toBeGreaterThanOrEqual(3);
      } finally {
        acc.close();
      }
    },
    60_000,
  );
});
