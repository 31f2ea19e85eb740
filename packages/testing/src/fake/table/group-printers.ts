import { isObject } from '../json.js';
import {
  AGE,
  age,
  bindingPrinter,
  col,
  condition,
  containerCells,
  formatLabelSelector,
  formatLabels,
  hpaMetrics,
  ingressHosts,
  intOrString,
  list,
  loadBalancer,
  NAME,
  num,
  type Obj,
  obj,
  printBool,
  replicasPrinter,
  str,
  webhooksPrinter,
} from './cells.js';
import { since } from './duration.js';
import type { Printer } from './printers.js';

/** The printers of kinds in named groups, by storage key (`apps/deployments`). */
export const GROUP_PRINTERS: Readonly<Record<string, Printer>> = {
  'apps/replicasets': replicasPrinter(
    (o) => formatLabelSelector(obj(o.spec).selector),
    (o) => num(obj(o.spec).replicas, 1),
  ),
  'apps/deployments': {
    columns: [
      NAME,
      col('Ready'),
      col('Up-to-date'),
      col('Available'),
      AGE,
      col('Containers', 'string', 1),
      col('Images', 'string', 1),
      col('Selector', 'string', 1),
    ],
    cells: (o, now) => {
      const spec = obj(o.spec);
      const status = obj(o.status);
      return [
        o.metadata?.name,
        `${num(status.readyReplicas)}/${num(spec.replicas, 1)}`,
        num(status.updatedReplicas),
        num(status.availableReplicas),
        age(o as Obj, now),
        ...containerCells(obj(obj(spec.template).spec)),
        formatLabelSelector(spec.selector),
      ];
    },
  },
  'apps/statefulsets': {
    columns: [NAME, col('Ready'), AGE, col('Containers', 'string', 1), col('Images', 'string', 1)],
    cells: (o, now) => {
      const spec = obj(o.spec);
      return [
        o.metadata?.name,
        `${num(obj(o.status).readyReplicas)}/${num(spec.replicas, 1)}`,
        age(o as Obj, now),
        ...containerCells(obj(obj(spec.template).spec)),
      ];
    },
  },
  'apps/daemonsets': {
    columns: [
      NAME,
      col('Desired', 'integer'),
      col('Current', 'integer'),
      col('Ready', 'integer'),
      col('Up-to-date', 'integer'),
      col('Available', 'integer'),
      col('Node Selector'),
      AGE,
      col('Containers', 'string', 1),
      col('Images', 'string', 1),
      col('Selector', 'string', 1),
    ],
    cells: (o, now) => {
      const spec = obj(o.spec);
      const status = obj(o.status);
      const pod = obj(obj(spec.template).spec);
      return [
        o.metadata?.name,
        num(status.desiredNumberScheduled),
        num(status.currentNumberScheduled),
        num(status.numberReady),
        num(status.updatedNumberScheduled),
        num(status.numberAvailable),
        formatLabels(pod.nodeSelector),
        age(o as Obj, now),
        ...containerCells(pod),
        formatLabelSelector(spec.selector),
      ];
    },
  },
  'apps/controllerrevisions': {
    columns: [NAME, col('Controller'), col('Revision'), AGE],
    cells: (o, now) => {
      const owner = (o.metadata?.ownerReferences ?? []).find((r) => r.controller);
      const group = owner ? (owner.apiVersion.includes('/') ? owner.apiVersion.split('/')[0] : '') : '';
      const controller = owner
        ? `${owner.kind.toLowerCase()}${group ? `.${group}` : ''}/${owner.name}`
        : '<none>';
      return [o.metadata?.name, controller, num((o as Obj).revision), age(o as Obj, now)];
    },
  },
  'coordination.k8s.io/leases': {
    columns: [NAME, col('Holder'), AGE],
    cells: (o, now) => [o.metadata?.name, str(obj(o.spec).holderIdentity), age(o as Obj, now)],
  },
  'autoscaling/horizontalpodautoscalers': {
    columns: [NAME, col('Reference'), col('Targets'), col('MinPods'), col('MaxPods'), col('Replicas'), AGE],
    cells: (o, now) => {
      const spec = obj(o.spec);
      const status = obj(o.status);
      const target = obj(spec.scaleTargetRef);
      return [
        o.metadata?.name,
        `${str(target.kind)}/${str(target.name)}`,
        hpaMetrics(spec, status),
        String(num(spec.minReplicas, 1)),
        num(spec.maxReplicas),
        num(status.currentReplicas),
        age(o as Obj, now),
      ];
    },
  },
  'batch/jobs': {
    columns: [
      NAME,
      col('Status'),
      col('Completions'),
      col('Duration'),
      AGE,
      col('Containers', 'string', 1),
      col('Images', 'string', 1),
      col('Selector', 'string', 1),
    ],
    cells: (o, now) => {
      const spec = obj(o.spec);
      const status = obj(o.status);
      const succeeded = num(status.succeeded);
      const parallelism = num(spec.parallelism, 1);
      const completions =
        typeof spec.completions === 'number'
          ? `${succeeded}/${spec.completions}`
          : parallelism > 1
            ? `${succeeded}/1 of ${parallelism}`
            : `${succeeded}/1`;
      const start = typeof status.startTime === 'string' ? Date.parse(status.startTime) : undefined;
      const end = typeof status.completionTime === 'string' ? Date.parse(status.completionTime) : now;
      const state = condition(o as Obj, 'Complete')
        ? 'Complete'
        : condition(o as Obj, 'Failed')
          ? 'Failed'
          : o.metadata?.deletionTimestamp
            ? 'Terminating'
            : condition(o as Obj, 'Suspended')
              ? 'Suspended'
              : 'Running';
      return [
        o.metadata?.name,
        state,
        completions,
        start === undefined ? '' : since(status.startTime, end),
        age(o as Obj, now),
        ...containerCells(obj(obj(spec.template).spec)),
        formatLabelSelector(spec.selector),
      ];
    },
  },
  'batch/cronjobs': {
    columns: [
      NAME,
      col('Schedule'),
      col('Timezone'),
      col('Suspend', 'boolean'),
      col('Active', 'integer'),
      col('Last Schedule'),
      AGE,
      col('Containers', 'string', 1),
      col('Images', 'string', 1),
      col('Selector', 'string', 1),
    ],
    cells: (o, now) => {
      const spec = obj(o.spec);
      const status = obj(o.status);
      const job = obj(obj(spec.jobTemplate).spec);
      return [
        o.metadata?.name,
        str(spec.schedule),
        str(spec.timeZone) || '<none>',
        printBool(spec.suspend ?? false),
        list(status.active).length,
        status.lastScheduleTime ? since(status.lastScheduleTime, now) : '<none>',
        age(o as Obj, now),
        ...containerCells(obj(obj(job.template).spec)),
        formatLabelSelector(job.selector),
      ];
    },
  },
  'networking.k8s.io/ingresses': {
    columns: [NAME, col('Class'), col('Hosts'), col('Address'), col('Ports'), AGE],
    cells: (o, now) => {
      const spec = obj(o.spec);
      return [
        o.metadata?.name,
        str(spec.ingressClassName) || '<none>',
        ingressHosts(spec.rules),
        loadBalancer(obj(o.status)),
        list(spec.tls).length > 0 ? '80, 443' : '80',
        age(o as Obj, now),
      ];
    },
  },
  'networking.k8s.io/ingressclasses': {
    columns: [NAME, col('Controller'), col('Parameters'), AGE],
    cells: (o, now) => {
      const spec = obj(o.spec);
      const p = isObject(spec.parameters) ? spec.parameters : undefined;
      const isDefault = o.metadata?.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true';
      return [
        `${o.metadata?.name}${isDefault ? ' (default)' : ''}`,
        str(spec.controller),
        p ? `${str(p.kind)}${p.apiGroup ? `.${str(p.apiGroup)}` : ''}/${str(p.name)}` : '<none>',
        age(o as Obj, now),
      ];
    },
  },
  'networking.k8s.io/networkpolicies': {
    columns: [NAME, col('Pod-Selector'), AGE],
    cells: (o, now) => [o.metadata?.name, formatLabelSelector(obj(o.spec).podSelector), age(o as Obj, now)],
  },
  'policy/poddisruptionbudgets': {
    columns: [NAME, col('Min Available'), col('Max Unavailable'), col('Allowed Disruptions', 'integer'), AGE],
    cells: (o, now) => {
      const spec = obj(o.spec);
      return [
        o.metadata?.name,
        spec.minAvailable === undefined ? 'N/A' : intOrString(spec.minAvailable),
        spec.maxUnavailable === undefined ? 'N/A' : intOrString(spec.maxUnavailable),
        num(obj(o.status).disruptionsAllowed),
        age(o as Obj, now),
      ];
    },
  },
  'rbac.authorization.k8s.io/rolebindings': bindingPrinter,
  'rbac.authorization.k8s.io/clusterrolebindings': bindingPrinter,
  'storage.k8s.io/storageclasses': {
    columns: [
      NAME,
      col('Provisioner'),
      col('ReclaimPolicy'),
      col('VolumeBindingMode'),
      col('AllowVolumeExpansion'),
      AGE,
    ],
    cells: (o, now) => {
      const sc = o as Obj;
      return [
        o.metadata?.name,
        str(sc.provisioner),
        str(sc.reclaimPolicy, 'Delete'),
        str(sc.volumeBindingMode, 'Immediate'),
        sc.allowVolumeExpansion === true,
        age(sc, now),
      ];
    },
  },
  'storage.k8s.io/csidrivers': {
    columns: [
      NAME,
      col('AttachRequired', 'boolean'),
      col('PodInfoOnMount', 'boolean'),
      col('StorageCapacity', 'boolean'),
      col('TokenRequests'),
      col('RequiresRepublish', 'boolean'),
      col('Modes'),
      AGE,
    ],
    cells: (o, now) => {
      const spec = obj(o.spec);
      const tokens = list(spec.tokenRequests).map((t) => str(t.audience));
      const modes = Array.isArray(spec.volumeLifecycleModes)
        ? (spec.volumeLifecycleModes as string[])
        : ['Persistent'];
      return [
        o.metadata?.name,
        spec.attachRequired ?? true,
        spec.podInfoOnMount ?? false,
        spec.storageCapacity ?? false,
        tokens.length > 0 ? tokens.join(',') : '<unset>',
        spec.requiresRepublish ?? false,
        modes.join(','),
        age(o as Obj, now),
      ];
    },
  },
  'admissionregistration.k8s.io/mutatingwebhookconfigurations': webhooksPrinter,
  'admissionregistration.k8s.io/validatingwebhookconfigurations': webhooksPrinter,
  'scheduling.k8s.io/priorityclasses': {
    columns: [NAME, col('Value', 'integer'), col('Global-Default', 'boolean'), AGE, col('PreemptionPolicy')],
    cells: (o, now) => {
      const pc = o as Obj;
      return [
        o.metadata?.name,
        num(pc.value),
        pc.globalDefault === true,
        age(pc, now),
        str(pc.preemptionPolicy, 'PreemptLowerPriority'),
      ];
    },
  },
  'node.k8s.io/runtimeclasses': {
    columns: [NAME, col('Handler'), AGE],
    cells: (o, now) => [o.metadata?.name, str((o as Obj).handler), age(o as Obj, now)],
  },
  'discovery.k8s.io/endpointslices': {
    columns: [NAME, col('AddressType'), col('Ports'), col('Endpoints'), AGE],
    cells: (o, now) => {
      const slice = o as Obj;
      const ports = list(slice.ports).map((p) => String(num(p.port)));
      const addresses = list(slice.endpoints).flatMap((e) =>
        Array.isArray(e.addresses) ? (e.addresses as string[]) : [],
      );
      const more = (xs: string[]) =>
        xs.length > 3 ? `${xs.slice(0, 3).join(',')} + ${xs.length - 3} more...` : xs.join(',');
      return [
        o.metadata?.name,
        str(slice.addressType),
        ports.length > 0 ? more(ports) : '<unset>',
        addresses.length > 0 ? more(addresses) : '<unset>',
        age(slice, now),
      ];
    },
  },
  'apiextensions.k8s.io/customresourcedefinitions': {
    columns: [
      NAME,
      col('Scope'),
      col('Versions'),
      col('Created At', 'date'),
      col('Group', 'string', 1),
      col('Kind', 'string', 1),
      col('ShortNames', 'string', 1),
      col('Established', 'boolean', 1),
    ],
    cells: (o) => {
      const spec = obj(o.spec);
      const versions = list(spec.versions)
        .filter((v) => v.served === true)
        .map((v) => `${str(v.name)}${v.storage === true ? '(storage)' : ''}`)
        .sort();
      const names = obj(spec.names);
      return [
        o.metadata?.name,
        str(spec.scope),
        versions.join(','),
        o.metadata?.creationTimestamp,
        str(spec.group),
        str(names.kind),
        (Array.isArray(names.shortNames) ? names.shortNames : []).join(','),
        condition(o as Obj, 'Established'),
      ];
    },
  },
};
