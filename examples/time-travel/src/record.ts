import {
  type Client,
  type ConfigMap,
  createClient,
  createKatesStore,
  createRecorder,
  fileSink,
} from '@kates/core';
import { startFakeApiServer } from '@kates/testing';
import { plan, SUMMARY } from './controller.js';

const NS = 'shop';

const shopConfig = (name: string, replicas: string): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: NS, labels: { app: 'shop' } },
  data: { replicas },
});

const until = async (what: string, ok: () => boolean) => {
  for (const deadline = Date.now() + 20_000; !ok(); ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/**
 * Runs the summary controller against the embedded API server while recording its store to
 * `path`, and meanwhile plays "other teams": they add services, scale one, store a Secret, and one
 * writes `replicas: "three"`. A watch outage (history compacted) forces a relist on the way.
 * @returns how many actions were recorded.
 */
export async function recordSession(path: string): Promise<number> {
  const server = await startFakeApiServer();
  const recorder = createRecorder({ sink: fileSink(path) });
  const client = createClient({
    kubeconfig: server.kubeconfigPath,
    namespace: NS,
    store: createKatesStore({ enhancers: [recorder.enhancer] }),
    reflector: { backoff: { initialMs: 50 } },
  });
  const others: Client = createClient({ kubeconfig: server.kubeconfigPath, namespace: NS });
  await others.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  await others.create(shopConfig('cart', '2'));

  const acc = client.watch(
    { name: 'ConfigMaps', kind: 'configmaps', namespace: NS },
    { name: 'Secrets', kind: 'secrets', namespace: NS },
    { interval: 10 },
  );
  const snapshot: { ConfigMaps?: readonly ConfigMap[] } = {};
  let written = '';
  let stopped = false;
  const controller = (async () => {
    // `changed()` then `update()`: a change that comes while the summary is written gets a turn of its own.
    while (!stopped) {
      await acc.changed();
      if (stopped) break;
      acc.update(snapshot);
      const p = plan(snapshot.ConfigMaps ?? []);
      const data = { services: String(p.services), replicas: String(p.replicas) };
      if (JSON.stringify(data) === written) continue;
      written = JSON.stringify(data);
      await client.upsert({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: SUMMARY, namespace: NS },
        data,
      });
    }
  })();
  const summary = () => snapshot.ConfigMaps?.find((c) => c.metadata?.name === SUMMARY)?.data?.replicas;

  await until('the first summary', () => summary() === '2');
  await others.create(shopConfig('payments', '3'));
  await others.create({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'payments-db', namespace: NS },
    stringData: { password: 'correct horse battery staple' },
  });
  await until('payments', () => summary() === '5');
  server.faults.stallWatches(30_000, { namespace: NS });
  await others.create(shopConfig('search', '1'));
  server.faults.compact();
  server.faults.dropWatches({ namespace: NS });
  await until('the relist', () => summary() === '6');
  const cart = await others.get('configmaps', 'cart');
  await others.update({ ...cart, data: { replicas: 'three' } });
  await until('the bad summary', () => summary() === 'NaN');

  stopped = true;
  acc.close();
  await controller;
  await until(
    'the watches to stop',
    () => Object.keys(client.store.getState().kates.reflectors).length === 0,
  );
  await recorder.close();
  client.transport.close?.();
  others.transport.close?.();
  await server.stop();
  return recorder.stats().actions;
}
