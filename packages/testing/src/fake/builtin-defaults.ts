import { defaultHorizontalPodAutoscaler } from './defaults/autoscaling.js';
import { defaultJob } from './defaults/job.js';
import { defaultLimitRange } from './defaults/limit-range.js';
import { defaultEndpoints, defaultNetworkPolicy } from './defaults/network.js';
import { defaultPod } from './defaults/pod.js';
import { defaultBinding } from './defaults/rbac.js';
import { defaultPriorityClass } from './defaults/scheduling.js';
import { defaultService } from './defaults/service.js';
import {
  defaultPersistentVolume,
  defaultPersistentVolumeClaim,
  defaultStorageClass,
} from './defaults/storage.js';
import {
  defaultCronJob,
  defaultDaemonSet,
  defaultDeployment,
  defaultPodTemplateObject,
  defaultReplicaSet,
  defaultReplicationController,
  defaultStatefulSet,
} from './defaults/workloads.js';
import { isObject, type JsonObject } from './json.js';
import type { ServedResource } from './registry.js';

/**
 * Defaults one kind's object in place; `creating` on a create (what admission and registries add
 * then); `version` the version it was written at.
 */
type Defaulter = (obj: JsonObject, creating: boolean, version: string) => void;

/** A Secret's `stringData` is written into `data` (base64) and dropped; its `type` is Opaque unless given. */
function defaultSecret(obj: JsonObject): void {
  // Written last, after data, where the apiserver's JSON has it.
  const type = typeof obj.type === 'string' && obj.type !== '' ? obj.type : 'Opaque';
  delete obj.type;
  if (isObject(obj.stringData)) {
    const data: JsonObject = isObject(obj.data) ? { ...obj.data } : {};
    for (const [k, v] of Object.entries(obj.stringData))
      if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
    obj.data = data;
  }
  delete obj.stringData;
  obj.type = type;
}

/** The defaulters by storage key (`group/resource`). */
const DEFAULTERS: Readonly<Record<string, Defaulter>> = {
  '/secrets': defaultSecret,
  '/pods': defaultPod,
  '/podtemplates': defaultPodTemplateObject,
  '/replicationcontrollers': defaultReplicationController,
  '/services': defaultService,
  '/persistentvolumes': defaultPersistentVolume,
  '/persistentvolumeclaims': defaultPersistentVolumeClaim,
  'apps/deployments': defaultDeployment,
  'apps/replicasets': defaultReplicaSet,
  'apps/statefulsets': defaultStatefulSet,
  'apps/daemonsets': defaultDaemonSet,
  'batch/jobs': defaultJob,
  'batch/cronjobs': defaultCronJob,
  '/endpoints': defaultEndpoints,
  '/limitranges': defaultLimitRange,
  'networking.k8s.io/networkpolicies': defaultNetworkPolicy,
  'rbac.authorization.k8s.io/rolebindings': defaultBinding,
  'rbac.authorization.k8s.io/clusterrolebindings': defaultBinding,
  'scheduling.k8s.io/priorityclasses': defaultPriorityClass,
  'storage.k8s.io/storageclasses': defaultStorageClass,
  'autoscaling/horizontalpodautoscalers': (obj, _creating, version) =>
    defaultHorizontalPodAutoscaler(obj, version),
};

/**
 * The conversions and defaults of built-in kinds that users see in what they read back, as the
 * apiserver's decoder (generated defaulters) and, on create, its admission plugins and registries
 * apply them: applied to every create, update, patch and apply of the main resource, before
 * validation and before managedFields are computed (so defaulted fields are owned by the writer,
 * as on a real server). Secrets: `stringData` into `data`, `type` Opaque; Pods and every pod
 * template: container and PodSpec defaults; workloads, Services, volumes, network policies, RBAC
 * bindings, priority and storage classes, autoscalers: their own.
 */
export function applyBuiltinDefaults(r: ServedResource, obj: JsonObject, creating = false): void {
  if (r.custom) return;
  DEFAULTERS[r.storageKey]?.(obj, creating, r.version);
}
