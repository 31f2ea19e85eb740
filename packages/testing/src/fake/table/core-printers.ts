import { isObject } from '../json.js';
import {
  AGE,
  accessModes,
  age,
  col,
  condition,
  containerCells,
  formatLabels,
  intOrString,
  list,
  NAME,
  num,
  type Obj,
  obj,
  podReason,
  replicasPrinter,
  serviceExternalIp,
  servicePorts,
  storageClassOf,
  str,
} from './cells.js';
import type { Printer } from './printers.js';

/** The printers of core/v1 kinds, by storage key (`/pods`). */
export const CORE_PRINTERS: Readonly<Record<string, Printer>> = {
  '/namespaces': {
    columns: [NAME, col('Status'), AGE],
    cells: (o, now) => [o.metadata?.name, str(obj(o.status).phase), age(o as Obj, now)],
  },
  '/configmaps': {
    columns: [NAME, col('Data'), AGE],
    cells: (o, now) => [
      o.metadata?.name,
      Object.keys(obj((o as Obj).data)).length + Object.keys(obj((o as Obj).binaryData)).length,
      age(o as Obj, now),
    ],
  },
  '/secrets': {
    columns: [NAME, col('Type'), col('Data'), AGE],
    cells: (o, now) => [
      o.metadata?.name,
      str((o as Obj).type, 'Opaque'),
      Object.keys(obj((o as Obj).data)).length,
      age(o as Obj, now),
    ],
  },
  '/serviceaccounts': { columns: [NAME, AGE], cells: (o, now) => [o.metadata?.name, age(o as Obj, now)] },
  '/services': {
    columns: [
      NAME,
      col('Type'),
      col('Cluster-IP'),
      col('External-IP'),
      col('Port(s)'),
      AGE,
      col('Selector', 'string', 1),
    ],
    cells: (o, now) => {
      const spec = obj(o.spec);
      const ips = Array.isArray(spec.clusterIPs) ? (spec.clusterIPs as string[]) : [];
      return [
        o.metadata?.name,
        str(spec.type, 'ClusterIP'),
        ips[0] ?? '<none>',
        serviceExternalIp(spec, obj(o.status)),
        servicePorts(spec.ports),
        age(o as Obj, now),
        formatLabels(spec.selector),
      ];
    },
  },
  '/pods': {
    columns: [
      NAME,
      col('Ready'),
      col('Status'),
      col('Restarts'),
      AGE,
      col('IP', 'string', 1),
      col('Node', 'string', 1),
      col('Nominated Node', 'string', 1),
      col('Readiness Gates', 'string', 1),
    ],
    cells: (o, now) => {
      const spec = obj(o.spec);
      const status = obj(o.status);
      const statuses = list(status.containerStatuses);
      const ready = statuses.filter((c) => c.ready === true && isObject(obj(c.state).running)).length;
      const restarts = statuses.reduce((n, c) => n + num(c.restartCount), 0);
      const gates = list(spec.readinessGates);
      return [
        o.metadata?.name,
        `${ready}/${list(spec.containers).length}`,
        podReason(o as Obj),
        String(restarts),
        age(o as Obj, now),
        str(list(status.podIPs)[0]?.ip) || '<none>',
        str(spec.nodeName) || '<none>',
        str(status.nominatedNodeName) || '<none>',
        gates.length === 0
          ? '<none>'
          : `${gates.filter((g) => condition(o as Obj, str(g.conditionType))).length}/${gates.length}`,
      ];
    },
  },
  '/podtemplates': {
    columns: [NAME, col('Containers'), col('Images'), col('Pod Labels')],
    cells: (o) => {
      const template = obj((o as Obj).template);
      return [
        o.metadata?.name,
        ...containerCells(template.spec),
        formatLabels(obj(template.metadata).labels),
      ];
    },
  },
  '/replicationcontrollers': replicasPrinter(
    (o) => formatLabels(obj(o.spec).selector),
    (o) => num(obj(o.spec).replicas, 1),
  ),
  '/endpoints': {
    columns: [NAME, col('Endpoints'), AGE],
    cells: (o, now) => {
      const addresses = list((o as Obj).subsets).flatMap((s) =>
        list(s.addresses).flatMap((a) =>
          list(s.ports).length === 0 ? [str(a.ip)] : list(s.ports).map((p) => `${str(a.ip)}:${num(p.port)}`),
        ),
      );
      const shown =
        addresses.length > 3
          ? `${addresses.slice(0, 3).join(',')} + ${addresses.length - 3} more...`
          : addresses.join(',');
      return [o.metadata?.name, shown || '<none>', age(o as Obj, now)];
    },
  },
  '/persistentvolumes': {
    columns: [
      NAME,
      col('Capacity'),
      col('Access Modes'),
      col('Reclaim Policy'),
      col('Status'),
      col('Claim'),
      col('StorageClass'),
      col('VolumeAttributesClass'),
      col('Reason'),
      AGE,
      col('VolumeMode', 'string', 1),
    ],
    cells: (o, now) => {
      const spec = obj(o.spec);
      const claim = isObject(spec.claimRef)
        ? `${str(spec.claimRef.namespace)}/${str(spec.claimRef.name)}`
        : '';
      return [
        o.metadata?.name,
        intOrString(obj(spec.capacity).storage) || '0',
        accessModes(spec.accessModes),
        str(spec.persistentVolumeReclaimPolicy, 'Retain'),
        o.metadata?.deletionTimestamp ? 'Terminating' : str(obj(o.status).phase),
        claim,
        storageClassOf(o as Obj),
        str(spec.volumeAttributesClassName) || '<unset>',
        str(obj(o.status).reason),
        age(o as Obj, now),
        str(spec.volumeMode, 'Filesystem'),
      ];
    },
  },
  '/persistentvolumeclaims': {
    columns: [
      NAME,
      col('Status'),
      col('Volume'),
      col('Capacity'),
      col('Access Modes'),
      col('StorageClass'),
      col('VolumeAttributesClass'),
      AGE,
      col('VolumeMode', 'string', 1),
    ],
    cells: (o, now) => {
      const spec = obj(o.spec);
      const status = obj(o.status);
      const bound = str(spec.volumeName) !== '';
      return [
        o.metadata?.name,
        o.metadata?.deletionTimestamp ? 'Terminating' : str(status.phase),
        str(spec.volumeName),
        bound ? intOrString(obj(status.capacity).storage) : '',
        bound ? accessModes(status.accessModes) : '',
        storageClassOf(o as Obj),
        str(spec.volumeAttributesClassName) || '<unset>',
        age(o as Obj, now),
        str(spec.volumeMode, 'Filesystem'),
      ];
    },
  },
  '/resourcequotas': {
    columns: [NAME, col('Request'), col('Limit'), AGE],
    cells: (o, now) => {
      const status = obj(o.status);
      const hard = obj(status.hard);
      const used = obj(status.used);
      const names = Object.keys(hard).sort();
      const line = (limits: boolean) =>
        names
          .filter((n) => (n.split('.')[0] === 'limits' && n.includes('.')) === limits)
          .map((n) => `${n}: ${intOrString(used[n]) || '0'}/${intOrString(hard[n])}`)
          .join(', ');
      return [o.metadata?.name, line(false), line(true), age(o as Obj, now)];
    },
  },
};
