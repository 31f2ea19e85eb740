import type { KubernetesObject } from '@kates/core/browser';
import type { ReactNode } from 'react';
import type { QueryName } from './cluster.js';

/** One column of a resource table. */
export interface Column {
  readonly header: string;
  /** CSS grid track, e.g. `2fr` or `6rem`. */
  readonly width: string;
  /** `now` is the dashboard's clock (ms), for ages. */
  readonly cell: (obj: KubernetesObject, now: number) => ReactNode;
}

/** `3d`, `5h`, `12m`, `40s` since an RFC 3339 time, as kubectl shows ages. */
export function age(timestamp: string | undefined, now = Date.now()): string {
  if (!timestamp) return '';
  const s = Math.max(0, Math.floor((now - Date.parse(timestamp)) / 1000));
  if (s >= 86_400) return `${Math.floor(s / 86_400)}d`;
  if (s >= 3600) return `${Math.floor(s / 3600)}h`;
  if (s >= 60) return `${Math.floor(s / 60)}m`;
  return `${s}s`;
}

function Phase({ phase }: { phase: string | undefined }) {
  return <span className={`phase phase-${(phase ?? 'unknown').toLowerCase()}`}>{phase ?? 'Unknown'}</span>;
}

const namespace: Column = {
  header: 'Namespace',
  width: 'minmax(8rem, 1fr)',
  cell: (o) => o.metadata?.namespace,
};
const name: Column = { header: 'Name', width: 'minmax(12rem, 2fr)', cell: (o) => o.metadata?.name };
const created: Column = {
  header: 'Age',
  width: '4rem',
  cell: (o, now) => age(o.metadata?.creationTimestamp, now),
};
const version: Column = { header: 'Version', width: '6rem', cell: (o) => o.metadata?.resourceVersion };

function nodeReady(node: KubernetesObject): string {
  const ready = (node.status?.conditions ?? []).find((c: { type?: string }) => c.type === 'Ready');
  return ready?.status === 'True' ? 'Ready' : 'NotReady';
}

function podReady(pod: KubernetesObject): string {
  const statuses: { ready?: boolean }[] = pod.status?.containerStatuses ?? [];
  const total = pod.spec?.containers?.length ?? statuses.length;
  return `${statuses.filter((c) => c.ready).length}/${total}`;
}

function restarts(pod: KubernetesObject): number {
  const statuses: { restartCount?: number }[] = pod.status?.containerStatuses ?? [];
  return statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0);
}

/** The columns of each table. */
export const columns: Readonly<Record<QueryName, readonly Column[]>> = {
  namespaces: [
    name,
    { header: 'Status', width: '8rem', cell: (o) => <Phase phase={o.status?.phase} /> },
    version,
    created,
  ],
  deployments: [
    namespace,
    name,
    {
      header: 'Ready',
      width: '6rem',
      cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`,
    },
    { header: 'Up-to-date', width: '6rem', cell: (o) => o.status?.updatedReplicas ?? 0 },
    { header: 'Available', width: '6rem', cell: (o) => o.status?.availableReplicas ?? 0 },
    version,
    created,
  ],
  replicasets: [
    namespace,
    name,
    { header: 'Desired', width: '5rem', cell: (o) => o.spec?.replicas ?? 0 },
    { header: 'Current', width: '5rem', cell: (o) => o.status?.replicas ?? 0 },
    { header: 'Ready', width: '5rem', cell: (o) => o.status?.readyReplicas ?? 0 },
    version,
    created,
  ],
  pods: [
    namespace,
    name,
    { header: 'Ready', width: '5rem', cell: podReady },
    { header: 'Status', width: '7rem', cell: (o) => <Phase phase={o.status?.phase} /> },
    { header: 'Restarts', width: '5.5rem', cell: restarts },
    { header: 'Node', width: 'minmax(6rem, 1fr)', cell: (o) => o.spec?.nodeName },
    version,
    created,
  ],
  services: [
    namespace,
    name,
    { header: 'Type', width: '7rem', cell: (o) => o.spec?.type ?? 'ClusterIP' },
    { header: 'Cluster IP', width: '8rem', cell: (o) => o.spec?.clusterIP },
    {
      header: 'Ports',
      width: 'minmax(6rem, 1fr)',
      cell: (o) =>
        (o.spec?.ports ?? [])
          .map((p: { port: number; protocol?: string }) => `${p.port}/${p.protocol ?? 'TCP'}`)
          .join(','),
    },
    version,
    created,
  ],
  configmaps: [
    namespace,
    name,
    {
      header: 'Data',
      width: 'minmax(8rem, 2fr)',
      cell: (o) =>
        Object.keys(o.data ?? {})
          .sort()
          .join(', '),
    },
    version,
    created,
  ],
  events: [
    namespace,
    { header: 'Type', width: '6rem', cell: (o) => o.type },
    { header: 'Reason', width: '9rem', cell: (o) => o.reason },
    {
      header: 'Object',
      width: 'minmax(10rem, 1fr)',
      cell: (o) => `${o.involvedObject?.kind ?? ''}/${o.involvedObject?.name ?? ''}`,
    },
    { header: 'Message', width: 'minmax(12rem, 3fr)', cell: (o) => o.message },
    {
      header: 'Age',
      width: '4rem',
      cell: (o, now) => age(o.lastTimestamp ?? o.eventTime ?? o.metadata?.creationTimestamp, now),
    },
  ],
  mappings: [
    namespace,
    name,
    {
      header: 'Prefix',
      width: 'minmax(10rem, 2fr)',
      cell: (o) => <span className="mono">{o.spec?.prefix}</span>,
    },
    { header: 'Service', width: 'minmax(8rem, 1fr)', cell: (o) => o.spec?.service },
    { header: 'Port', width: '5rem', cell: (o) => o.spec?.port ?? '' },
    version,
    created,
  ],
  nodes: [
    name,
    { header: 'Status', width: '8rem', cell: (o) => <Phase phase={nodeReady(o)} /> },
    { header: 'Kubelet', width: '8rem', cell: (o) => o.status?.nodeInfo?.kubeletVersion },
    version,
    created,
  ],
};
