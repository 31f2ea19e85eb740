import type { Client, Event, KubernetesObject } from '@kates/core';

/** An RFC 3339 time to the second, as metav1.Time is written. */
export const rfc3339 = (ms = Date.now()) =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

let sequence = 0;

/**
 * Records a core/v1 Event about `obj`, as a kubelet or a controller does: named after the object
 * and the time in nanoseconds (hex), count 1. `container` points it at a container of a Pod.
 */
export async function recordEvent(
  client: Client,
  obj: KubernetesObject,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  source: { component: string; host?: string },
  container?: string,
): Promise<void> {
  const time = rfc3339();
  const nanos = BigInt(Date.now()) * 1_000_000n + BigInt(sequence++ % 1_000_000);
  await client.create<Event>({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${obj.metadata?.name}.${nanos.toString(16)}`,
      namespace: obj.metadata?.namespace ?? 'default',
    },
    involvedObject: {
      apiVersion: obj.apiVersion ?? 'v1',
      kind: obj.kind ?? '',
      name: obj.metadata?.name ?? '',
      ...(obj.metadata?.namespace ? { namespace: obj.metadata.namespace } : {}),
      ...(obj.metadata?.uid ? { uid: obj.metadata.uid } : {}),
      ...(container ? { fieldPath: `spec.containers{${container}}` } : {}),
    },
    type,
    reason,
    message,
    source,
    reportingComponent: source.component,
    reportingInstance: source.host ?? '',
    firstTimestamp: time,
    lastTimestamp: time,
    count: 1,
  });
}

interface ContainerStatus {
  name: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  containerID?: string;
  state?: Record<string, unknown>;
  lastState?: Record<string, unknown>;
  [field: string]: unknown;
}

/**
 * What a kubelet does to a Pod whose readiness probe starts failing (`ready: false`: containers
 * unready, Ready and ContainersReady False, an Unhealthy Event) or whose container it restarted
 * and found ready again (`ready: true`: a new container, restartCount + 1, and the Killing,
 * Pulled, Created, Started Events). Returns the Pod as written.
 */
export async function setPodReady(
  client: Client,
  pod: KubernetesObject,
  ready: boolean,
): Promise<KubernetesObject> {
  const time = rfc3339();
  const node = pod.spec?.nodeName as string | undefined;
  const kubelet = { component: 'kubelet', ...(node ? { host: node } : {}) };
  const containers: ContainerStatus[] = pod.status?.containerStatuses ?? [];
  const unready = containers.map((c) => c.name);
  const containerStatuses = containers.map((c): ContainerStatus => {
    if (!ready) return { ...c, ready: false };
    const id = (c.containerID ?? 'containerd://').replace(/[0-9a-f]{12}$/, () =>
      Date.now().toString(16).padStart(12, '0').slice(-12),
    );
    return {
      ...c,
      ready: true,
      started: true,
      restartCount: c.restartCount + 1,
      containerID: id,
      state: { running: { startedAt: time } },
      lastState: {
        terminated: {
          exitCode: 137,
          reason: 'Error',
          startedAt: (c.state?.running as { startedAt?: string } | undefined)?.startedAt ?? time,
          finishedAt: time,
          containerID: c.containerID,
        },
      },
    };
  });
  const conditions = (pod.status?.conditions ?? []).map((c: { type: string; status: string }) =>
    c.type === 'Ready' || c.type === 'ContainersReady'
      ? {
          ...c,
          status: ready ? 'True' : 'False',
          lastTransitionTime: time,
          ...(ready
            ? { reason: undefined, message: undefined }
            : {
                reason: 'ContainersNotReady',
                message: `containers with unready status: [${unready.join(' ')}]`,
              }),
        }
      : c,
  );
  const written = await client.updateStatus({
    ...pod,
    status: { ...pod.status, conditions, containerStatuses },
  });
  for (const c of containers) {
    if (!ready) {
      await recordEvent(client, written, 'Warning', 'Unhealthy', probeFailure(pod, c.name), kubelet, c.name);
      continue;
    }
    const image = pod.spec?.containers?.find((s: { name: string }) => s.name === c.name)?.image ?? c.image;
    await recordEvent(
      client,
      written,
      'Normal',
      'Killing',
      `Container ${c.name} failed liveness probe, will be restarted`,
      kubelet,
      c.name,
    );
    await recordEvent(
      client,
      written,
      'Normal',
      'Pulled',
      `Container image "${image}" already present on machine`,
      kubelet,
      c.name,
    );
    await recordEvent(client, written, 'Normal', 'Created', `Created container: ${c.name}`, kubelet, c.name);
    await recordEvent(client, written, 'Normal', 'Started', `Started container ${c.name}`, kubelet, c.name);
  }
  return written;
}

/** What a failed readiness probe reports: an HTTP probe where the container has a port, else an exec probe. */
function probeFailure(pod: KubernetesObject, container: string): string {
  const spec = pod.spec?.containers?.find((s: { name: string }) => s.name === container);
  return spec?.ports?.length
    ? 'Readiness probe failed: HTTP probe failed with statuscode: 503'
    : "Readiness probe failed: cat: can't open '/tmp/ready': No such file or directory";
}

/** A Pod counts as ready when its Ready condition is True. */
export function isPodReady(pod: KubernetesObject): boolean {
  return (pod.status?.conditions ?? []).some(
    (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
  );
}
