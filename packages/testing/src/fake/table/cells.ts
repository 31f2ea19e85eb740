import { formatSelector, type KubernetesObject, parseLabelSelector } from '@kates/core';
import { isObject, type JsonObject } from '../json.js';
import { since } from './duration.js';
import type { Column, Printer } from './printers.js';

/** What the printers share: reading cells from JSON safely, and the apiserver's ways of formatting them. */
export type Obj = KubernetesObject & JsonObject;
export type Spec = Record<string, unknown>;

export const col = (name: string, type: Column['type'] = 'string', priority = 0): Column => ({
  name,
  type,
  format: name === 'Name' ? 'name' : '',
  priority,
});
export const NAME = col('Name');
export const AGE = col('Age');

export function obj(v: unknown): Spec {
  return isObject(v) ? v : {};
}
export function list(v: unknown): Spec[] {
  return Array.isArray(v) ? v.map(obj) : [];
}
export function num(v: unknown, fallback = 0): number {
  return typeof v === 'number' ? v : fallback;
}
export function str(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v : fallback;
}
export const age = (o: Obj, now: number) => since(o.metadata?.creationTimestamp, now);

/** labels.FormatLabels: `a=b,c=d` sorted, `<none>` when empty. */
export function formatLabels(labels: unknown): string {
  const entries = Object.entries(obj(labels)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? '<none>' : entries.map(([k, v]) => `${k}=${String(v)}`).join(',');
}

/** metav1.FormatLabelSelector: the selector's canonical string, `<none>` when it selects everything. */
export function formatLabelSelector(selector: unknown): string {
  try {
    const text = formatSelector(
      parseLabelSelector(obj(selector) as Parameters<typeof parseLabelSelector>[0]),
    );
    return text || '<none>';
  } catch {
    return '<error>';
  }
}

export function containerCells(podSpec: unknown): [string, string] {
  const containers = list(obj(podSpec).containers);
  return [containers.map((c) => str(c.name)).join(','), containers.map((c) => str(c.image)).join(',')];
}

/** An IntOrString as Go prints it. */
export function intOrString(v: unknown): string {
  return typeof v === 'number' ? String(v) : str(v);
}

export function printBool(v: unknown): string {
  return typeof v === 'boolean' ? (v ? 'True' : 'False') : '<unset>';
}

export function accessModes(modes: unknown): string {
  const set = new Set(Array.isArray(modes) ? modes : []);
  const short: [string, string][] = [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ];
  return short
    .filter(([m]) => set.has(m))
    .map(([, s]) => s)
    .join(',');
}

export function storageClassOf(o: Obj): string {
  const annotation = o.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'];
  return annotation ?? str(obj(o.spec).storageClassName);
}

export function condition(o: Obj, type: string): boolean {
  return list(obj(o.status).conditions).some((c) => c.type === type && c.status === 'True');
}

export function podReason(o: Obj): string {
  const status = obj(o.status);
  let reason = str(status.reason) || str(status.phase);
  for (const c of [...list(status.containerStatuses)].reverse()) {
    const state = obj(c.state);
    if (str(obj(state.waiting).reason)) reason = str(obj(state.waiting).reason);
    else if (isObject(state.terminated))
      reason = str(state.terminated.reason) || `ExitCode:${num(state.terminated.exitCode)}`;
  }
  if (o.metadata?.deletionTimestamp && !['Succeeded', 'Failed'].includes(str(status.phase)))
    reason = 'Terminating';
  return reason;
}

export function subjects(o: Obj): [string, string, string] {
  const all = list(o.subjects);
  const of = (kind: string, f: (s: Spec) => string) =>
    all
      .filter((s) => s.kind === kind)
      .map(f)
      .join(', ');
  return [
    of('User', (s) => str(s.name)),
    of('Group', (s) => str(s.name)),
    of('ServiceAccount', (s) => `${str(s.namespace)}/${str(s.name)}`),
  ];
}

export const bindingPrinter: Printer = {
  columns: [
    NAME,
    col('Role'),
    AGE,
    col('Users', 'string', 1),
    col('Groups', 'string', 1),
    col('ServiceAccounts', 'string', 1),
  ],
  cells: (o, now) => [
    o.metadata?.name,
    `${str(obj(o.roleRef).kind)}/${str(obj(o.roleRef).name)}`,
    age(o as Obj, now),
    ...subjects(o as Obj),
  ],
};

export const webhooksPrinter: Printer = {
  columns: [NAME, col('Webhooks', 'integer'), AGE],
  cells: (o, now) => [o.metadata?.name, list((o as Obj).webhooks).length, age(o as Obj, now)],
};

export const replicasPrinter = (selector: (o: Obj) => string, desired: (o: Obj) => number): Printer => ({
  columns: [
    NAME,
    col('Desired', 'integer'),
    col('Current', 'integer'),
    col('Ready', 'integer'),
    AGE,
    col('Containers', 'string', 1),
    col('Images', 'string', 1),
    col('Selector', 'string', 1),
  ],
  cells: (o, now) => [
    o.metadata?.name,
    desired(o as Obj),
    num(obj(o.status).replicas),
    num(obj(o.status).readyReplicas),
    age(o as Obj, now),
    ...containerCells(obj(obj(obj(o.spec).template).spec)),
    selector(o as Obj),
  ],
});

export function servicePorts(ports: unknown): string {
  const text = list(ports)
    .map((p) => {
      const protocol = str(p.protocol, 'TCP');
      return num(p.nodePort) > 0
        ? `${num(p.port)}:${num(p.nodePort)}/${protocol}`
        : `${num(p.port)}/${protocol}`;
    })
    .join(',');
  return text || '<none>';
}

export function serviceExternalIp(spec: Spec, status: Spec): string {
  const external = Array.isArray(spec.externalIPs) ? (spec.externalIPs as string[]) : [];
  switch (str(spec.type, 'ClusterIP')) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length > 0 ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = [...new Set(list(obj(status.loadBalancer).ingress).map((i) => str(i.ip) || str(i.hostname)))]
        .filter(Boolean)
        .sort();
      const all = [...lb, ...external];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName);
  }
  return '<unknown>';
}

export function hpaMetrics(spec: Spec, status: Spec): string {
  const specs = list(spec.metrics);
  if (specs.length === 0) return '<none>';
  const current = list(status.currentMetrics);
  const shown = specs.map((m, i) => {
    if (m.type !== 'Resource') return '<unknown type>';
    const resource = obj(m.resource);
    const target = obj(resource.target);
    const now = obj(obj(current[i]?.resource).current);
    if (target.averageValue !== undefined)
      return `${str(resource.name)}: ${now.averageValue !== undefined ? intOrString(now.averageValue) : '<unknown>'}/${intOrString(target.averageValue)}`;
    const got = typeof now.averageUtilization === 'number' ? `${now.averageUtilization}%` : '<unknown>';
    const want = typeof target.averageUtilization === 'number' ? `${target.averageUtilization}%` : '<auto>';
    return `${str(resource.name)}: ${got}/${want}`;
  });
  return shown.length > 2
    ? `${shown.slice(0, 2).join(', ')} + ${shown.length - 2} more...`
    : shown.join(', ');
}

export function ingressHosts(rules: unknown): string {
  const all = list(rules);
  const hosts = all.map((r) => str(r.host)).filter(Boolean);
  if (hosts.length === 0) return '*';
  return all.length > 3
    ? `${hosts.slice(0, 3).join(',')} + ${all.length - 3} more...`
    : hosts.slice(0, 3).join(',');
}

export function loadBalancer(status: Spec): string {
  return [
    ...new Set(
      list(obj(status.loadBalancer).ingress)
        .map((i) => str(i.ip) || str(i.hostname))
        .filter(Boolean),
    ),
  ]
    .sort()
    .join(',');
}
