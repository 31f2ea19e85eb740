import type { KubernetesObject } from '@kates/core';
import { hexOf } from './sample-names.js';
import { rfc3339, type SampleNode, sampleEvent } from './sample-workloads.js';

/** The kubelet version the sample nodes report. */
export const SAMPLE_KUBELET_VERSION = 'v1.37.2';

/** The sample cluster's two worker nodes. */
export const SAMPLE_NODES: readonly SampleNode[] = [
  { name: 'node-1', ip: '192.168.49.2', podSubnet: 1 },
  { name: 'node-2', ip: '192.168.49.3', podSubnet: 2 },
];

/** A Node as its kubelet registers and reports it: Ready, no pressure, 4 CPUs and 16 GiB. */
function node(n: SampleNode, now: number): KubernetesObject {
  const time = rfc3339(now);
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: time,
    lastTransitionTime: time,
  });
  const capacity = { cpu: '4', memory: '16373412Ki', pods: '110', 'ephemeral-storage': '102626232Ki' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: n.name,
      labels: {
        'kubernetes.io/hostname': n.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': 'amd64',
      },
    },
    spec: { podCIDR: `10.244.${n.podSubnet}.0/24`, podCIDRs: [`10.244.${n.podSubnet}.0/24`] },
    status: {
      capacity,
      // What the kubelet keeps back for itself and the system.
      allocatable: { ...capacity, cpu: '3800m', memory: '15271076Ki' },
      conditions: [
        condition(
          'MemoryPressure',
          'False',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
        ),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: n.ip },
        { type: 'Hostname', address: n.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: hexOf(`machine ${n.name}`, 32),
        systemUUID: hexOf(`system ${n.name}`, 32).replace(
          /^(.{8})(.{4})(.{4})(.{4})(.{12})$/,
          '$1-$2-$3-$4-$5',
        ),
        bootID: hexOf(`boot ${n.name}`, 32).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
        kernelVersion: '6.8.0-51-generic',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        containerRuntimeVersion: 'containerd://2.1.4',
        kubeletVersion: SAMPLE_KUBELET_VERSION,
        kubeProxyVersion: SAMPLE_KUBELET_VERSION,
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

/** The sample nodes, and the Events of their kubelets starting (in `default`, where node Events go). */
export function sampleNodes(now: number): { objects: KubernetesObject[]; events: KubernetesObject[] } {
  const time = rfc3339(now);
  return {
    objects: SAMPLE_NODES.map((n) => node(n, now)),
    events: SAMPLE_NODES.flatMap((n) => {
      const involved = { kind: 'Node', apiVersion: 'v1', name: n.name };
      const kubelet = { component: 'kubelet', host: n.name };
      return [
        sampleEvent(involved, 'Normal', 'Starting', 'Starting kubelet.', kubelet, time),
        sampleEvent(
          involved,
          'Normal',
          'NodeReady',
          `Node ${n.name} status is now: NodeReady`,
          kubelet,
          time,
        ),
      ];
    }),
  };
}
