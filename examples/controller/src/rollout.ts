import type { Client, KubernetesObject } from '@kates/core';
import { isPodReady, recordEvent, rfc3339 } from './kubelet.js';

const REVISION = 'deployment.kubernetes.io/revision';
const KUBE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** A Deployment's current ReplicaSet (the one of its revision) and that ReplicaSet's Pods. */
export interface Rollout {
  readonly deployment: KubernetesObject;
  readonly replicaSet: KubernetesObject;
  readonly pods: KubernetesObject[];
}

const ownedBy = (obj: KubernetesObject, owner: KubernetesObject) =>
  (obj.metadata?.ownerReferences ?? []).some((r: { uid: string }) => r.uid === owner.metadata?.uid);

/**
 * The current ReplicaSet of `d` and its Pods, found by owner reference; undefined on a cluster
 * where nothing made them (a real API server without kube-controller-manager).
 */
export async function rolloutOf(client: Client, d: KubernetesObject): Promise<Rollout | undefined> {
  const namespace = d.metadata?.namespace;
  const sets: KubernetesObject[] = (await client.list('replicasets.apps', { namespace })).filter((rs) =>
    ownedBy(rs, d),
  );
  const revision = d.metadata?.annotations?.[REVISION];
  const replicaSet = sets.find((rs) => rs.metadata?.annotations?.[REVISION] === revision) ?? sets[0];
  if (!replicaSet) return undefined;
  const pods = (await client.list('pods', { namespace })).filter((p) => ownedBy(p, replicaSet));
  return { deployment: d, replicaSet, pods };
}

/**
 * Writes the ReplicaSet's and the Deployment's status from the Pods, as their controllers do:
 * replicas, ready and available counts, and the Deployment's Available condition (the default
 * maxUnavailable of 25%, rounded down). Returns the ready count.
 */
export async function syncStatus(
  client: Client,
  r: Rollout,
  pods: readonly KubernetesObject[],
): Promise<number> {
  const ready = pods.filter(isPodReady).length;
  const replicas = pods.length;
  await client.updateStatus({
    ...r.replicaSet,
    status: {
      ...r.replicaSet.status,
      observedGeneration: r.replicaSet.metadata?.generation,
      replicas,
      fullyLabeledReplicas: replicas,
      readyReplicas: ready,
      availableReplicas: ready,
    },
  });
  const wanted = r.deployment.spec?.replicas ?? 1;
  const available = ready >= wanted - Math.floor(wanted / 4);
  const time = rfc3339();
  const conditions = (r.deployment.status?.conditions ?? []).map((c: { type: string; status: string }) =>
    c.type !== 'Available' || (c.status === 'True') === available
      ? c
      : {
          ...c,
          status: available ? 'True' : 'False',
          reason: available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
          message: available
            ? 'Deployment has minimum availability.'
            : 'Deployment does not have minimum availability.',
          lastUpdateTime: time,
          lastTransitionTime: time,
        },
  );
  const { unavailableReplicas: _, ...rest } = r.deployment.status ?? {};
  await client.updateStatus({
    ...r.deployment,
    status: {
      ...rest,
      observedGeneration: r.deployment.metadata?.generation,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: ready,
      availableReplicas: ready,
      ...(replicas > ready ? { unavailableReplicas: replicas - ready } : {}),
      conditions,
    },
  });
  return ready;
}

function suffix(): string {
  let out = '';
  for (let i = 0; i < 5; i++) out += KUBE_ALPHABET[Math.floor(Math.random() * KUBE_ALPHABET.length)];
  return out;
}

/**
 * Scales a rollout to `replicas` as the Deployment and ReplicaSet controllers and the kubelet
 * would: the new count in both specs, a Pod created from the template (running and ready on the
 * node with fewest of them) or the newest one deleted, the statuses and the Events. Returns the Pods.
 */
export async function scaleTo(client: Client, r: Rollout, replicas: number): Promise<KubernetesObject[]> {
  const from = r.pods.length;
  const deployment = await client.update({ ...r.deployment, spec: { ...r.deployment.spec, replicas } });
  const replicaSet = await client.update({ ...r.replicaSet, spec: { ...r.replicaSet.spec, replicas } });
  const rs = { ...r, deployment, replicaSet };
  await recordEvent(
    client,
    deployment,
    'Normal',
    'ScalingReplicaSet',
    `Scaled ${replicas > from ? 'up' : 'down'} replica set ${replicaSet.metadata?.name} from ${from} to ${replicas}`,
    { component: 'deployment-controller' },
  );
  let pods = [...r.pods];
  while (pods.length < replicas) pods.push(await createPod(client, rs));
  while (pods.length > replicas) {
    const newest = pods.reduce((a, b) =>
      (a.metadata?.creationTimestamp ?? '') > (b.metadata?.creationTimestamp ?? '') ? a : b,
    );
    await client.delete(newest);
    pods = pods.filter((p) => p !== newest);
    await recordEvent(
      client,
      replicaSet,
      'Normal',
      'SuccessfulDelete',
      `Deleted pod: ${newest.metadata?.name}`,
      {
        component: 'replicaset-controller',
      },
    );
  }
  await syncStatus(client, rs, pods);
  return pods;
}

/** A new Pod of the ReplicaSet, scheduled, started and ready, with the Events of each step. */
async function createPod(client: Client, r: Rollout): Promise<KubernetesObject> {
  const rsName = r.replicaSet.metadata?.name ?? '';
  const perNode = new Map<string, number>();
  for (const p of r.pods) perNode.set(p.spec?.nodeName ?? '', (perNode.get(p.spec?.nodeName ?? '') ?? 0) + 1);
  const nodes = await client.list('nodes');
  const node = nodes.sort(
    (a, b) => (perNode.get(a.metadata?.name ?? '') ?? 0) - (perNode.get(b.metadata?.name ?? '') ?? 0),
  )[0];
  const nodeName = node?.metadata?.name ?? 'node-1';
  const hostIP = node?.status?.addresses?.find((a: { type: string }) => a.type === 'InternalIP')?.address;
  const subnet = (node?.spec?.podCIDR ?? '10.244.1.0/24').split('.')[2];
  const template = r.replicaSet.spec?.template;
  const pod = await client.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${rsName}-${suffix()}`,
      namespace: r.replicaSet.metadata?.namespace,
      labels: template?.metadata?.labels,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: rsName,
          uid: r.replicaSet.metadata?.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: { ...template?.spec, nodeName },
  });
  await recordEvent(
    client,
    r.replicaSet,
    'Normal',
    'SuccessfulCreate',
    `Created pod: ${pod.metadata?.name}`,
    {
      component: 'replicaset-controller',
    },
  );
  const time = rfc3339();
  const podIP = `10.244.${subnet}.${100 + Math.floor(Math.random() * 150)}`;
  const containers = (template?.spec?.containers ?? []) as { name: string; image: string }[];
  const written = await client.updateStatus({
    ...pod,
    status: {
      phase: 'Running',
      conditions: [
        'PodReadyToStartContainers',
        'Initialized',
        'Ready',
        'ContainersReady',
        'PodScheduled',
      ].map((type) => ({
        type,
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: time,
      })),
      ...(hostIP ? { hostIP, hostIPs: [{ ip: hostIP }] } : {}),
      podIP,
      podIPs: [{ ip: podIP }],
      startTime: time,
      qosClass: 'Burstable',
      containerStatuses: containers.map((c) => ({
        name: c.name,
        ready: true,
        started: true,
        restartCount: 0,
        image: c.image,
        imageID: '',
        containerID: `containerd://${Date.now().toString(16).padStart(64, '0')}`,
        state: { running: { startedAt: time } },
      })),
    },
  });
  const kubelet = { component: 'kubelet', host: nodeName };
  await recordEvent(
    client,
    written,
    'Normal',
    'Scheduled',
    `Successfully assigned ${pod.metadata?.namespace}/${pod.metadata?.name} to ${nodeName}`,
    {
      component: 'default-scheduler',
    },
  );
  for (const c of containers) {
    await recordEvent(
      client,
      written,
      'Normal',
      'Pulled',
      `Container image "${c.image}" already present on machine`,
      kubelet,
      c.name,
    );
    await recordEvent(client, written, 'Normal', 'Created', `Created container: ${c.name}`, kubelet, c.name);
    await recordEvent(client, written, 'Normal', 'Started', `Started container ${c.name}`, kubelet, c.name);
  }
  return written;
}
