import type { Client, KubernetesObject, Pod } from '@kates/core';

const NAMESPACE = 'load';
const PHASES = ['Running', 'Running', 'Running', 'Pending', 'Failed'] as const;

/** Nodes 3 to 8 that the synthetic pods also run on (the sample cluster has node-1 and node-2). */
function extraNodes(): KubernetesObject[] {
  return Array.from({ length: 6 }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: `node-${i + 3}`, labels: { 'kubernetes.io/hostname': `node-${i + 3}` } },
    status: {
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
      addresses: [{ type: 'InternalIP', address: `192.168.49.${i + 4}` }],
      nodeInfo: { kubeletVersion: 'v1.37.2' },
    },
  }));
}

/** `count` synthetic pods (and their namespace `load` and the nodes they run on), to see the dashboard at scale on the embedded server. */
export function syntheticPods(count: number): KubernetesObject[] {
  if (count <= 0) return [];
  const pods: Pod[] = Array.from({ length: count }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `load-${String(i).padStart(6, '0')}`,
      namespace: NAMESPACE,
      labels: { app: `load-${i % 50}` },
    },
    spec: { nodeName: `node-${(i % 8) + 1}`, containers: [{ name: 'main', image: 'busybox:1.36' }] },
    status: {
      phase: 'Running',
      containerStatuses: [{ name: 'main', ready: true, restartCount: 0, image: 'busybox:1.36', imageID: '' }],
    },
  }));
  return [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } }, ...extraNodes(), ...pods];
}

/**
 * Changes the status of random synthetic pods, `rate` times a second, through the API server:
 * live churn to watch. Returns a function that stops it.
 */
export function startChurn(client: Client, count: number, rate: number): () => void {
  if (count <= 0 || rate <= 0) return () => {};
  let n = 0;
  let busy = 0;
  const timer = setInterval(() => {
    // Never more than a second's worth in flight: a slow server slows the churn instead of queueing it.
    if (busy >= rate) return;
    const i = Math.floor(Math.random() * count);
    busy++;
    n++;
    client
      .patch(
        { kind: 'pods', name: `load-${String(i).padStart(6, '0')}`, namespace: NAMESPACE },
        {
          status: {
            phase: PHASES[n % PHASES.length],
            containerStatuses: [
              { name: 'main', ready: n % 5 < 3, restartCount: n, image: 'busybox:1.36', imageID: '' },
            ],
          },
        },
        { subresource: 'status' },
      )
      .catch(() => undefined)
      .finally(() => {
        busy--;
      });
  }, 1000 / rate);
  return () => clearInterval(timer);
}
