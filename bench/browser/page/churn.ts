import type { KubernetesObject } from '@kates/core/browser';

/** A pod as a watch delivers it. */
export function pod(i: number, rv: number, phase: string, restarts: number): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `pod-${String(i).padStart(5, '0')}`,
      namespace: `ns-${i % 20}`,
      uid: `uid-${i}`,
      resourceVersion: String(rv),
      labels: { app: `app-${i % 50}` },
    },
    spec: { nodeName: `node-${i % 30}`, containers: [{ name: 'main', image: 'registry.example/app:1' }] },
    status: {
      phase,
      containerStatuses: [{ name: 'main', ready: phase === 'Running', restartCount: restarts }],
    },
  };
}

const phases = ['Pending', 'Running', 'Failed', 'Running', 'Succeeded'];

/** Rows in the first screen of the table: a fifth of the events go to their pods, so rows visibly change. */
export const VISIBLE = 40;

/**
 * The pods as both tables show them, sorted by namespace, then name (as kates sorts a query and
 * kubectl lists): the first {@link VISIBLE} are the ones in view.
 */
export function sortedPods(count: number): KubernetesObject[] {
  const key = (p: KubernetesObject) => `${p.metadata!.namespace}/${p.metadata!.name}`;
  return Array.from({ length: count }, (_, i) => pod(i, i + 1, 'Running', 0)).sort((a, b) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0,
  );
}

/** The index `i` of `pod(i, ...)` of a pod. */
export const indexOf = (p: KubernetesObject): number => Number(p.metadata!.uid!.slice(4));

/**
 * Emits MODIFIED events for random pods at `rate` per second, each as its own watch event (as
 * when they arrive 10 ms apart over the network): a fifth to the pods in view (`inView`, indexes
 * of the first rows), the rest to any pod. Every event changes the pod's phase, so counts by phase
 * change too. Deterministic (seeded).
 */
export function startChurn(
  count: number,
  rate: number,
  inView: readonly number[],
  emit: (obj: KubernetesObject) => void,
): () => void {
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  let rv = count + 10;
  const restarts = new Map<number, number>();
  const started = performance.now();
  let sent = 0;
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    while (sent < due) {
      const i = random() < 0.2 ? inView[Math.floor(random() * inView.length)]! : Math.floor(random() * count);
      const r = (restarts.get(i) ?? 0) + 1;
      restarts.set(i, r);
      emit(pod(i, rv++, phases[(r - 1) % phases.length]!, r));
      sent++;
    }
  }, 1000 / rate);
  return () => clearInterval(timer);
}
