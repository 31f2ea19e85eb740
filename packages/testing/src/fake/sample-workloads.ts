import type { KubernetesObject } from '@kates/core';
import { hexOf, nameSuffix, podTemplateHash } from './sample-names.js';

/** One application of the sample cluster: a Deployment, its ReplicaSets and Pods, maybe a Service. */
export interface SampleApp {
  readonly namespace: string;
  readonly name: string;
  readonly image: string;
  /** The image of the revision before this one: the Deployment then has two ReplicaSets, the old one scaled to 0. */
  readonly previousImage?: string;
  readonly replicas: number;
  readonly port?: number;
  readonly tier: string;
}

/** A node of the sample cluster, as the workloads need it: where Pods run and which addresses they get. */
export interface SampleNode {
  readonly name: string;
  readonly ip: string;
  /** The third octet of its pod CIDR, 10.244.N.0/24. */
  readonly podSubnet: number;
}

/** Hands out nodes round-robin, and pod IPs from each node's pod CIDR. */
export class Placement {
  private next = 0;
  private readonly used = new Map<string, number>();
  constructor(private readonly nodes: readonly SampleNode[]) {}

  place(): { node: SampleNode; podIP: string } {
    const node = this.nodes[this.next++ % this.nodes.length] as SampleNode;
    const n = (this.used.get(node.name) ?? 0) + 1;
    this.used.set(node.name, n);
    return { node, podIP: `10.244.${node.podSubnet}.${10 + n}` };
  }
}

/** The objects of one application, owners before dependents, and the Events their creation leaves. */
export interface Workload {
  readonly objects: KubernetesObject[];
  readonly events: KubernetesObject[];
}

const REVISION = 'deployment.kubernetes.io/revision';

export function labelsOf(app: SampleApp): Record<string, string> {
  return { 'app.kubernetes.io/name': app.name, 'app.kubernetes.io/part-of': app.namespace, tier: app.tier };
}

function template(app: SampleApp, image: string) {
  const container = {
    name: app.name,
    image,
    // busybox exits at once without something to do.
    ...(app.port
      ? { ports: [{ containerPort: app.port, protocol: 'TCP' }] }
      : { command: ['sleep', 'infinity'] }),
    // Requests below limits: the Pods are Burstable, as most are.
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
  };
  return { metadata: { labels: labelsOf(app) }, spec: { containers: [container] } };
}

/** How a container runtime names an image: `nginx:1.27` is `docker.io/library/nginx:1.27`. */
export function canonicalImage(image: string): string {
  const first = image.split('/')[0] as string;
  if (image.includes('/') && (first.includes('.') || first.includes(':'))) return image;
  return image.includes('/') ? `docker.io/${image}` : `docker.io/library/${image}`;
}

function imageID(image: string): string {
  const canonical = canonicalImage(image);
  return `${canonical.replace(/:[^:/]+$/, '')}@sha256:${hexOf(`image ${canonical}`)}`;
}

/** An RFC 3339 time to the second, as metav1.Time is written. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** A core/v1 Event, as the component that saw it reports it (count 1, first = last time). */
export function sampleEvent(
  involved: { kind: string; apiVersion: string; name: string; namespace?: string; fieldPath?: string },
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  source: { component: string; host?: string },
  time: string,
): KubernetesObject {
  const namespace = involved.namespace ?? 'default';
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      // The recorder names an Event after its object and the time in nanoseconds, in hex.
      name: `${involved.name}.${hexOf(`${involved.kind}/${namespace}/${involved.name}/${reason}/${message}/${time}`, 16)}`,
      namespace,
    },
    involvedObject: { ...involved },
    type,
    reason,
    message,
    source,
    reportingComponent: source.component,
    reportingInstance: source.host ?? '',
    firstTimestamp: time,
    lastTimestamp: time,
    count: 1,
  };
}

function controllerRef(apiVersion: string, kind: string, name: string) {
  // An empty uid: the server assigns it when the owner is seeded, and the seed fills it in here.
  return { apiVersion, kind, name, uid: '', controller: true, blockOwnerDeletion: true };
}

/** The running, ready Pod `name` of `app` on `node`, its kubelet's Events, as of `time`. */
function pod(
  app: SampleApp,
  rs: string,
  hash: string,
  name: string,
  at: { node: SampleNode; podIP: string },
  time: string,
): Workload {
  const spec = template(app, app.image).spec;
  const container = spec.containers[0] as { name: string; image: string };
  const condition = (type: string) => ({
    type,
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: time,
  });
  const object: KubernetesObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      generateName: `${rs}-`,
      namespace: app.namespace,
      labels: { ...labelsOf(app), 'pod-template-hash': hash },
      ownerReferences: [controllerRef('apps/v1', 'ReplicaSet', rs)],
    },
    spec: { ...spec, nodeName: at.node.name },
    status: {
      phase: 'Running',
      conditions: [
        'PodReadyToStartContainers',
        'Initialized',
        'Ready',
        'ContainersReady',
        'PodScheduled',
      ].map(condition),
      hostIP: at.node.ip,
      hostIPs: [{ ip: at.node.ip }],
      podIP: at.podIP,
      podIPs: [{ ip: at.podIP }],
      startTime: time,
      qosClass: 'Burstable',
      containerStatuses: [
        {
          name: container.name,
          ready: true,
          started: true,
          restartCount: 0,
          image: canonicalImage(container.image),
          imageID: imageID(container.image),
          containerID: `containerd://${hexOf(`container ${app.namespace}/${name}/0`)}`,
          state: { running: { startedAt: time } },
        },
      ],
    },
  };
  const involved = { kind: 'Pod', apiVersion: 'v1', name, namespace: app.namespace };
  const inContainer = { ...involved, fieldPath: `spec.containers{${container.name}}` };
  const kubelet = { component: 'kubelet', host: at.node.name };
  const events = [
    sampleEvent(
      involved,
      'Normal',
      'Scheduled',
      `Successfully assigned ${app.namespace}/${name} to ${at.node.name}`,
      { component: 'default-scheduler' },
      time,
    ),
    sampleEvent(inContainer, 'Normal', 'Pulling', `Pulling image "${container.image}"`, kubelet, time),
    sampleEvent(
      inContainer,
      'Normal',
      'Pulled',
      `Successfully pulled image "${container.image}" in 2.1s (2.1s including waiting)`,
      kubelet,
      time,
    ),
    sampleEvent(inContainer, 'Normal', 'Created', `Created container: ${container.name}`, kubelet, time),
    sampleEvent(inContainer, 'Normal', 'Started', `Started container ${container.name}`, kubelet, time),
  ];
  return { objects: [object], events };
}

function replicaSet(
  app: SampleApp,
  image: string,
  revision: number,
  replicas: number,
): { object: KubernetesObject; name: string; hash: string } {
  const tpl = template(app, image);
  const hash = podTemplateHash(tpl);
  const name = `${app.name}-${hash}`;
  const labels = { ...labelsOf(app), 'pod-template-hash': hash };
  const object: KubernetesObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: app.namespace,
      labels,
      annotations: {
        [REVISION]: String(revision),
        'deployment.kubernetes.io/desired-replicas': String(app.replicas),
        'deployment.kubernetes.io/max-replicas': String(app.replicas + Math.ceil(app.replicas / 4)),
      },
      ownerReferences: [controllerRef('apps/v1', 'Deployment', app.name)],
    },
    spec: {
      replicas,
      selector: { matchLabels: { 'app.kubernetes.io/name': app.name, 'pod-template-hash': hash } },
      template: { ...tpl, metadata: { labels } },
    },
    status: {
      replicas,
      fullyLabeledReplicas: replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
      observedGeneration: 1,
    },
  };
  return { object, name, hash };
}

/**
 * One application as a cluster's controllers leave it once rolled out: a Deployment (revision 2
 * with a previous image, else 1), its ReplicaSet per revision (older ones at 0 replicas), the
 * current one's Pods running and ready on the nodes `placement` picks, and the Events of it all.
 */
export function workload(app: SampleApp, placement: Placement, now: number): Workload {
  const time = rfc3339(now);
  const revisions = app.previousImage ? [app.previousImage, app.image] : [app.image];
  const sets = revisions.map((image, i) =>
    replicaSet(app, image, i + 1, i === revisions.length - 1 ? app.replicas : 0),
  );
  const current = sets[sets.length - 1] as (typeof sets)[number];
  const pods = Array.from({ length: app.replicas }, (_, i) =>
    pod(
      app,
      current.name,
      current.hash,
      `${current.name}-${nameSuffix(`${current.name}/${i}`)}`,
      placement.place(),
      time,
    ),
  );
  const deployment: KubernetesObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: app.name,
      namespace: app.namespace,
      labels: labelsOf(app),
      annotations: { [REVISION]: String(revisions.length) },
    },
    spec: {
      replicas: app.replicas,
      selector: { matchLabels: { 'app.kubernetes.io/name': app.name } },
      template: template(app, app.image),
    },
    status: {
      observedGeneration: 1,
      replicas: app.replicas,
      updatedReplicas: app.replicas,
      readyReplicas: app.replicas,
      availableReplicas: app.replicas,
      conditions: [
        {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
          lastUpdateTime: time,
          lastTransitionTime: time,
        },
        {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${current.name}" has successfully progressed.`,
          lastUpdateTime: time,
          lastTransitionTime: time,
        },
      ],
    },
  };
  const ofDeployment = {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    name: app.name,
    namespace: app.namespace,
  };
  const deploymentController = { component: 'deployment-controller' };
  const scaling = sets.flatMap((rs, i) => {
    const up = sampleEvent(
      ofDeployment,
      'Normal',
      'ScalingReplicaSet',
      `Scaled up replica set ${rs.name} from 0 to ${app.replicas}`,
      deploymentController,
      time,
    );
    if (i === sets.length - 1) return [up];
    const down = sampleEvent(
      ofDeployment,
      'Normal',
      'ScalingReplicaSet',
      `Scaled down replica set ${rs.name} from ${app.replicas} to 0`,
      deploymentController,
      time,
    );
    return [up, down];
  });
  const ofReplicaSet = {
    kind: 'ReplicaSet',
    apiVersion: 'apps/v1',
    name: current.name,
    namespace: app.namespace,
  };
  const created = pods.map((p) =>
    sampleEvent(
      ofReplicaSet,
      'Normal',
      'SuccessfulCreate',
      `Created pod: ${p.objects[0]?.metadata?.name}`,
      { component: 'replicaset-controller' },
      time,
    ),
  );
  return {
    objects: [deployment, ...sets.map((s) => s.object), ...pods.flatMap((p) => p.objects)],
    events: [...scaling, ...created, ...pods.flatMap((p) => p.events)],
  };
}
