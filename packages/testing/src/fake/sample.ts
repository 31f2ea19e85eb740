import type { ConfigMap, KubernetesObject, Namespace, Service } from '@kates/core';
import { SAMPLE_NODES, sampleNodes } from './sample-nodes.js';
import { labelsOf, Placement, type SampleApp, workload } from './sample-workloads.js';

const APPS: readonly SampleApp[] = [
  { namespace: 'shop', name: 'storefront', image: 'nginx:1.27', replicas: 2, port: 80, tier: 'frontend' },
  {
    namespace: 'shop',
    name: 'checkout',
    image: 'ghcr.io/example/checkout:2.4.1',
    // Rolled out once since it was created: two ReplicaSets, the old one at 0 replicas.
    previousImage: 'ghcr.io/example/checkout:2.4.0',
    replicas: 2,
    port: 8080,
    tier: 'backend',
  },
  {
    namespace: 'shop',
    name: 'inventory',
    image: 'ghcr.io/example/inventory:1.9.0',
    replicas: 1,
    port: 8080,
    tier: 'backend',
  },
  {
    namespace: 'monitoring',
    name: 'prometheus',
    image: 'prom/prometheus:v2.53.0',
    replicas: 1,
    port: 9090,
    tier: 'ops',
  },
  {
    namespace: 'monitoring',
    name: 'grafana',
    image: 'grafana/grafana:11.1.0',
    replicas: 1,
    port: 3000,
    tier: 'ops',
  },
  { namespace: 'default', name: 'hello', image: 'busybox:1.36', replicas: 1, tier: 'demo' },
];

function service(app: SampleApp): Service[] {
  if (!app.port) return [];
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: app.name, namespace: app.namespace, labels: labelsOf(app) },
      spec: {
        selector: { 'app.kubernetes.io/name': app.name },
        ports: [{ name: 'http', port: app.port, targetPort: app.port }],
      },
    },
  ];
}

const CONFIG_MAPS: readonly ConfigMap[] = [
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'storefront-config', namespace: 'shop', labels: { tier: 'frontend' } },
    data: { THEME: 'autumn', CURRENCY: 'EUR' },
  },
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'checkout-config', namespace: 'shop', labels: { tier: 'backend' } },
    data: { PAYMENT_PROVIDER: 'sandbox', RETRIES: '3' },
  },
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'prometheus-config', namespace: 'monitoring' },
    data: { 'prometheus.yml': 'global:\n  scrape_interval: 15s\n' },
  },
];

/**
 * A small cluster for examples and demos (the embedded default when no kubeconfig is given), as
 * a cluster's controllers and kubelets would leave it: namespaces `shop` and `monitoring`, Nodes
 * `node-1` and `node-2` (Ready), six Deployments rolled out (a ReplicaSet per revision, the
 * current one's Pods running and ready on the nodes, statuses that agree from Pod to Deployment),
 * their Services, a few ConfigMaps, and the Events of it all. Owners come before their
 * dependents, whose `ownerReferences` (and Events' `involvedObject`) carry no uid: the fake's
 * seed fills in the uid of the object seeded under that name.
 *
 * Times (conditions, `startedAt`, Events) are `now`; every other field is the same every call.
 */
export function sampleClusterObjects(now: number = Date.now()): KubernetesObject[] {
  const namespaces: Namespace[] = ['shop', 'monitoring'].map((name) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { environment: 'demo' } },
  }));
  const nodes = sampleNodes(now);
  const placement = new Placement(SAMPLE_NODES);
  const workloads = APPS.map((app) => workload(app, placement, now));
  return [
    ...namespaces,
    ...nodes.objects,
    ...CONFIG_MAPS,
    ...APPS.flatMap(service),
    ...workloads.flatMap((w) => w.objects),
    // Last: an Event names its object, which the seed must have created to fill in its uid.
    ...nodes.events,
    ...workloads.flatMap((w) => w.events),
  ];
}
