import type { KubernetesObject } from '@kates/core';

/**
 * Realistic objects, generated deterministically (the same `i` always gives the same object), so
 * runs are comparable and a test can check a snapshot against what was created.
 *
 * - ConfigMap: about 1 KB, mostly `data`.
 * - Pod: about 4.9 KB as a watch delivers it: two containers, volumes, tolerations, a full status
 *   and `managedFields` from two managers (about a third of the bytes, as in real clusters).
 */
export type BenchKind = 'ConfigMap' | 'Pod';

/**
 * Annotation carrying when a write was sent, µs on the machine's monotonic clock (`nowMicros`):
 * event-to-signal latency.
 */
export const SENT_ANNOTATION = 'bench.kates.io/sent';
/** Annotation that ends a run: every consumer stops when it sees it with the run's value. */
export const DONE_ANNOTATION = 'bench.kates.io/done';

/** A small deterministic generator (mulberry32), so content varies without Math.random. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'listen',
  'upstream',
  'timeout',
  'retry',
  'backend',
  'cluster',
  'weight',
  'region',
  'replica',
  'budget',
  'feature',
  'enabled',
  'circuit',
  'breaker',
  'cache',
  'ttl',
  'bucket',
  'limit',
  'token',
  'route',
];

function text(r: () => number, bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const line = `${WORDS[Math.floor(r() * WORDS.length)]}_${Math.floor(r() * 1000)}: ${Math.floor(r() * 1e6)}`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

/** `cm-000042`: names sort as numbers do. */
export function objectName(kind: BenchKind, i: number): string {
  return `${kind === 'Pod' ? 'pod' : 'cm'}-${String(i).padStart(6, '0')}`;
}

/** A ConfigMap as a client creates it (no uid, resourceVersion or timestamps). */
export function configMap(i: number, namespace: string): KubernetesObject {
  const r = rng(i + 1);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: objectName('ConfigMap', i),
      namespace,
      labels: { app: `app-${i % 50}`, tier: i % 3 === 0 ? 'frontend' : 'backend', 'bench.kates.io/set': 'a' },
      annotations: { 'bench.kates.io/generation': '0' },
    },
    data: { 'config.yaml': text(r, 560), 'feature-flags': text(r, 100), owner: `team-${i % 17}` },
  };
}

const t0 = Date.UTC(2026, 0, 1);
const iso = (offsetS: number) => new Date(t0 + offsetS * 1000).toISOString().replace('.000Z', 'Z');

function container(r: () => number, i: number, n: number, name: string) {
  return {
    name,
    image: `registry.example.com/team-${i % 17}/${name}:v1.${n}.${Math.floor(r() * 40)}`,
    imagePullPolicy: 'IfNotPresent',
    args: [`--log-level=${r() < 0.5 ? 'info' : 'debug'}`],
    env: [
      { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
      { name: 'UPSTREAM_URL', value: `http://svc-${Math.floor(r() * 500)}.backend.svc.cluster.local:8080` },
    ],
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
    livenessProbe: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, periodSeconds: 10 },
    volumeMounts: [
      { name: 'config', mountPath: '/etc/app' },
      { name: 'kube-api-access', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
    ],
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  };
}

/** A small second container, as meshes and log shippers add. */
function sidecar(r: () => number, i: number) {
  return {
    name: 'proxy',
    image: `registry.example.com/mesh/proxy:v2.${i % 7}.${Math.floor(r() * 10)}`,
    imagePullPolicy: 'IfNotPresent',
    resources: { requests: { cpu: '10m', memory: '32Mi' } },
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  };
}

function containerStatus(r: () => number, i: number, name: string, image: string) {
  return {
    name,
    state: { running: { startedAt: iso(i + 30) } },
    lastState: {},
    ready: true,
    restartCount: Math.floor(r() * 3),
    image,
    imageID: `${image.split(':')[0]}@sha256:${Math.floor(r() * 2 ** 52)
      .toString(16)
      .padStart(16, '0')
      .repeat(2)}`,
    containerID: `containerd://${Math.floor(r() * 2 ** 52)
      .toString(16)
      .padStart(16, '0')
      .repeat(2)}`,
    started: true,
  };
}

/** managedFields of a pod written by its ReplicaSet controller and by the kubelet. */
function podManagedFields(i: number) {
  const specFields = {
    'f:metadata': {
      'f:generateName': {},
      'f:labels': { '.': {}, 'f:app': {}, 'f:pod-template-hash': {} },
      'f:ownerReferences': { '.': {}, 'k:{"uid":"owner"}': {} },
    },
    'f:spec': {
      'f:containers': Object.fromEntries(
        ['app'].map((c) => [
          `k:{"name":"${c}"}`,
          {
            '.': {},
            'f:args': {},
            'f:env': {
              '.': {},
              'k:{"name":"POD_NAME"}': { '.': {}, 'f:name': {}, 'f:valueFrom': {} },
              'k:{"name":"UPSTREAM_URL"}': { '.': {}, 'f:name': {}, 'f:value': {} },
            },
            'f:image': {},
            'f:name': {},
            'f:ports': { '.': {}, 'k:{"containerPort":8080,"protocol":"TCP"}': {} },
            'f:resources': { '.': {}, 'f:limits': {}, 'f:requests': {} },
          },
        ]),
      ),
      'f:dnsPolicy': {},
      'f:enableServiceLinks': {},
      'f:restartPolicy': {},
      'f:schedulerName': {},
      'f:securityContext': {},
      'f:terminationGracePeriodSeconds': {},
      'f:volumes': { '.': {}, 'k:{"name":"config"}': {} },
    },
  };
  const statusFields = {
    'f:status': {
      'f:conditions': Object.fromEntries(
        ['ContainersReady', 'Ready'].map((t) => [
          `k:{"type":"${t}"}`,
          { '.': {}, 'f:lastTransitionTime': {}, 'f:status': {}, 'f:type': {} },
        ]),
      ),
      'f:containerStatuses': {},
      'f:hostIP': {},
      'f:phase': {},
      'f:podIP': {},
      'f:podIPs': { '.': {}, 'k:{"ip":"x"}': {} },
      'f:startTime': {},
    },
  };
  return [
    {
      manager: 'kube-controller-manager',
      operation: 'Update',
      apiVersion: 'v1',
      time: iso(i),
      fieldsType: 'FieldsV1',
      fieldsV1: specFields,
    },
    {
      manager: 'kubelet',
      operation: 'Update',
      apiVersion: 'v1',
      time: iso(i + 30),
      fieldsType: 'FieldsV1',
      fieldsV1: statusFields,
      subresource: 'status',
    },
  ];
}

/** A running Pod of a Deployment, as a watch delivers it (spec, status, managedFields), less server fields. */
export function pod(i: number, namespace: string): KubernetesObject {
  const r = rng(i + 1_000_003);
  const app = `app-${i % 50}`;
  const hash = Math.floor(r() * 2 ** 32)
    .toString(36)
    .padStart(7, 'x')
    .slice(0, 10);
  const containers = [container(r, i, 1, 'app'), sidecar(r, i)];
  const podIP = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: objectName('Pod', i),
      generateName: `${app}-${hash}-`,
      namespace,
      labels: { app, 'pod-template-hash': hash, 'bench.kates.io/set': 'a' },
      annotations: { 'bench.kates.io/generation': '0' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: `${app}-${hash}`,
          uid: uidFor(`rs-${i % 50}`),
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      managedFields: podManagedFields(i),
    },
    spec: {
      volumes: [
        { name: 'config', configMap: { name: `${app}-config`, defaultMode: 420 } },
        {
          name: 'kube-api-access',
          projected: {
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            ],
            defaultMode: 420,
          },
        },
      ],
      containers,
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      nodeName: `node-${i % 40}`,
      schedulerName: 'default-scheduler',
      tolerations: [
        {
          key: 'node.kubernetes.io/not-ready',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
        {
          key: 'node.kubernetes.io/unreachable',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
      ],
      priority: 0,
    },
    status: {
      phase: 'Running',
      conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
        type,
        status: 'True',
        lastTransitionTime: iso(i + 20),
      })),
      hostIP: `172.16.${(i >> 8) & 255}.${i % 40}`,
      podIP,
      podIPs: [{ ip: podIP }],
      startTime: iso(i + 5),
      containerStatuses: containers.map((c) => containerStatus(r, i, c.name, c.image)),
      qosClass: 'Burstable',
    },
  };
}

/** The generator of a kind. */
export function generate(kind: BenchKind, i: number, namespace: string): KubernetesObject {
  return kind === 'Pod' ? pod(i, namespace) : configMap(i, namespace);
}

/**
 * What the in-memory server is seeded with for `collections`: each namespace once, before the
 * objects of each collection.
 */
export function seedOf(
  collections: readonly { readonly kind: BenchKind; readonly namespace: string; readonly n: number }[],
): KubernetesObject[] {
  const seed: KubernetesObject[] = [];
  const namespaces = new Set<string>();
  for (const c of collections) {
    if (!namespaces.has(c.namespace)) {
      namespaces.add(c.namespace);
      seed.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: c.namespace } });
    }
    for (let i = 0; i < c.n; i++) seed.push(generate(c.kind, i, c.namespace));
  }
  return seed;
}

/** A deterministic uid in the UUID format. */
export function uidFor(seed: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < seed.length; i++) {
    h1 = Math.imul(h1 ^ seed.charCodeAt(i), 0x01000193);
    h2 = Math.imul(h2 ^ seed.charCodeAt(i), 0x5bd1e995);
  }
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  const s = hex(h1) + hex(h2) + hex(h1 ^ h2) + hex(Math.imul(h1, 31) + h2);
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-8${s.slice(17, 20)}-${s.slice(20, 32)}`;
}

/**
 * The object as the API server would hold it: with uid, resourceVersion and creationTimestamp.
 * For benchmarks that feed the store directly.
 */
export function stored(
  kind: BenchKind,
  i: number,
  namespace: string,
  resourceVersion: number,
): KubernetesObject {
  const obj = generate(kind, i, namespace);
  obj.metadata = {
    ...obj.metadata,
    uid: uidFor(`${namespace}/${kind}/${i}`),
    resourceVersion: String(resourceVersion),
    creationTimestamp: iso(i),
  };
  return obj;
}
