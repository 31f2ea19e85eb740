/**
 * The README's quick start, run as a user runs it: from the packed tarballs, in a project outside
 * the workspace (scripts/consumer-test.mjs copies this folder there), against the in-memory API
 * server of @kates/testing. Each step prints what it got; an assertion that fails exits non-zero.
 */
import assert from 'node:assert/strict';
import { type ConfigMap, createClient, type Deployment, type KubernetesObject } from '@kates/core';
import { sampleClusterObjects, startFakeApiServer } from '@kates/testing';

const web: Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
    },
  },
};
const manifest: ConfigMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'applied' },
  data: { x: '1' },
};

const server = await startFakeApiServer({ seed: [...sampleClusterObjects(), web] });
process.env.KUBECONFIG = server.kubeconfigPath;
const client = createClient(); // $KUBECONFIG, as the README says
try {
  // CRUD on any kind, named as kubectl names it.
  const got = await client.get('deploy', 'web', { namespace: 'shop' });
  assert.equal(got.spec?.replicas, 1);
  console.log(
    `get deploy/web: replicas ${got.spec?.replicas}, resourceVersion ${got.metadata?.resourceVersion}`,
  );

  const created = await client.create<ConfigMap>({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c' },
    data: { a: '1' },
  });
  assert.equal(created.metadata?.namespace, 'default');
  const patched = await client.patch({ kind: 'cm', name: 'c' }, { data: { a: '2' } });
  assert.deepEqual(patched.data, { a: '2' });
  console.log(`create + merge patch cm/c: data ${JSON.stringify(patched.data)}`);

  const applied = await client.apply(manifest, { fieldManager: 'my-controller' });
  assert.equal(applied.metadata?.managedFields?.[0]?.manager, 'my-controller');
  console.log(`server-side apply cm/applied: field manager ${applied.metadata?.managedFields?.[0]?.manager}`);

  const modified = await client.modify({ kind: 'deploy', name: 'web', namespace: 'shop' }, (d) => {
    d.spec!.replicas = 3;
  });
  assert.equal(modified.spec?.replicas, 3);
  console.log(`modify deploy/web: replicas ${modified.spec?.replicas}`);

  await client.delete({ kind: 'cm', name: 'c' });
  console.log('delete cm/c: done');

  // A coherent snapshot of several queries.
  const acc = client.watch(
    { name: 'services', kind: 'svc' },
    { name: 'deployments', kind: 'deployments.apps', namespace: 'shop' },
    { name: 'mappings', kind: 'Mapping', labelSelector: 'tier=edge' }, // a CRD this server lacks
  );
  const snapshot: { services?: readonly KubernetesObject[]; deployments?: readonly Deployment[] } = {};
  for await (const _ of acc) {
    acc.update(snapshot);
    if (snapshot.services && snapshot.deployments) break;
  }
  const names = (snapshot.deployments ?? []).map((d) => d.metadata?.name);
  assert.ok(names.includes('web'), `deployments in shop: ${names.join(', ')}`);
  assert.equal(snapshot.deployments?.find((d) => d.metadata?.name === 'web')?.spec?.replicas, 3);
  assert.equal(acc.status().mappings?.phase, 'unserved');
  console.log(
    `watch: ${snapshot.services?.length} services, deployments in shop ${names.join(', ')}; ` +
      `mappings ${acc.status().mappings?.phase}`,
  );
  acc.close();
} finally {
  client.close();
  await server.stop();
}
console.log('quick start: ok');
