import type { ConfigMap, Deployment, KubernetesObject, Namespace, Pod, Service } from '@kates/core';

interface App {
  readonly namespace: string;
  readonly name: string;
  readonly image: string;
  readonly replicas: number;
  readonly port?: number;
  readonly tier: string;
}

const APPS: readonly App[] = [
  { namespace: 'shop', name: 'storefront', image: 'nginx:1.27', replicas: 2, port: 80, tier: 'frontend' },
  {
    namespace: 'shop',
    name: 'checkout',
    image: 'ghcr.io/example/checkout:2.4.1',
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

const POD_SUFFIXES = ['x7k2p', 'm4q9z', 'b8d3w', 'r2v6n'];

function labelsOf(app: App): Record<string, string> {
  return { 'app.kubernetes.io/name': app.name, 'app.kubernetes.io/part-of': app.namespace, tier: app.tier };
}

function deployment(app: App): Deployment {
  const container = {
    name: app.name,
    image: app.image,
    ...(app.port ? { ports: [{ containerPort: app.port }] } : {}),
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: app.name, namespace: app.namespace, labels: labelsOf(app) },
    spec: {
      replicas: app.replicas,
      selector: { matchLabels: { 'app.kubernetes.io/name': app.name } },
      template: { metadata: { labels: labelsOf(app) }, spec: { containers: [container] } },
    },
    status: {
      replicas: app.replicas,
      readyReplicas: app.replicas,
      availableReplicas: app.replicas,
      observedGeneration: 1,
    },
  };
}

function pods(app: App): Pod[] {
  return POD_SUFFIXES.slice(0, app.replicas).map((suffix, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${app.name}-6d4f9c7b8-${suffix}`,
      namespace: app.namespace,
      labels: { ...labelsOf(app), 'pod-template-hash': '6d4f9c7b8' },
    },
    spec: {
      nodeName: `node-${(i % 2) + 1}`,
      containers: [
        { name: app.name, image: app.image, ...(app.port ? { ports: [{ containerPort: app.port }] } : {}) },
      ],
    },
    status: {
      phase: 'Running',
      podIP: `10.244.${i + 1}.${10 + APPS.indexOf(app)}`,
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  }));
}

function service(app: App): Service[] {
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

/**
 * A small, fixed cluster for examples and demos (the embedded default when no kubeconfig is
 * given): namespaces `shop` and `monitoring`, six Deployments with their Pods (Running) and
 * Services, and a few ConfigMaps. The same objects every call.
 */
export function sampleClusterObjects(): KubernetesObject[] {
  const namespaces: Namespace[] = ['shop', 'monitoring'].map((name) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { environment: 'demo' } },
  }));
  const configMaps: ConfigMap[] = [
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
  return [...namespaces, ...configMaps, ...APPS.flatMap((a) => [deployment(a), ...service(a), ...pods(a)])];
}
