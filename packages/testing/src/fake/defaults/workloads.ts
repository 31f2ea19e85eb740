import { isObject, type JsonObject } from '../json.js';
import { defaultPodTemplate } from './pod-spec.js';
import { defaultString, defaultValue, struct } from './set.js';

/**
 * The defaults of the workload kinds (pkg/apis/apps/v1, batch/v1 and core/v1 defaults.go), each
 * with its pod template's: what `kubectl get deploy -o yaml` shows that the manifest did not say.
 */

function defaultRollingUpdate(strategy: JsonObject, rolling: Record<string, unknown>): void {
  defaultString(strategy, 'type', 'RollingUpdate');
  if (strategy.type !== 'RollingUpdate') return;
  const update = struct(strategy, 'rollingUpdate');
  for (const [key, value] of Object.entries(rolling)) defaultValue(update, key, value);
}

/** apps/v1 Deployment. */
export function defaultDeployment(obj: JsonObject): void {
  const spec = struct(obj, 'spec');
  defaultValue(spec, 'replicas', 1);
  defaultPodTemplate(spec);
  defaultRollingUpdate(struct(spec, 'strategy'), { maxUnavailable: '25%', maxSurge: '25%' });
  defaultValue(spec, 'revisionHistoryLimit', 10);
  defaultValue(spec, 'progressDeadlineSeconds', 600);
}

/** apps/v1 ReplicaSet. */
export function defaultReplicaSet(obj: JsonObject): void {
  const spec = struct(obj, 'spec');
  defaultValue(spec, 'replicas', 1);
  defaultPodTemplate(spec);
}

/** apps/v1 StatefulSet: a rolling update gets its partition (and maxUnavailable, on by default since 1.35). */
export function defaultStatefulSet(obj: JsonObject): void {
  const spec = struct(obj, 'spec');
  defaultValue(spec, 'replicas', 1);
  defaultPodTemplate(spec);
  defaultString(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = struct(spec, 'updateStrategy');
  if (strategy.type === undefined || strategy.type === null || strategy.type === '') {
    strategy.type = 'RollingUpdate';
    struct(strategy, 'rollingUpdate');
  }
  if (strategy.type === 'RollingUpdate' && isObject(strategy.rollingUpdate)) {
    defaultValue(strategy.rollingUpdate, 'partition', 0);
    defaultValue(strategy.rollingUpdate, 'maxUnavailable', 1);
  }
  defaultValue(spec, 'revisionHistoryLimit', 10);
  const retention = struct(spec, 'persistentVolumeClaimRetentionPolicy');
  defaultString(retention, 'whenDeleted', 'Retain');
  defaultString(retention, 'whenScaled', 'Retain');
}

/** apps/v1 DaemonSet. */
export function defaultDaemonSet(obj: JsonObject): void {
  const spec = struct(obj, 'spec');
  defaultPodTemplate(spec);
  defaultRollingUpdate(struct(spec, 'updateStrategy'), { maxUnavailable: 1, maxSurge: 0 });
  defaultValue(spec, 'revisionHistoryLimit', 10);
}

const isEmptyMap = (v: unknown) => !isObject(v) || Object.keys(v).length === 0;

/** core/v1 ReplicationController: selector and labels from the template's labels when unset. */
export function defaultReplicationController(obj: JsonObject): void {
  const spec = struct(obj, 'spec');
  const template = spec.template;
  const labels = isObject(template) && isObject(template.metadata) ? template.metadata.labels : undefined;
  if (isObject(labels)) {
    if (isEmptyMap(spec.selector)) spec.selector = { ...labels };
    const meta = struct(obj, 'metadata');
    if (isEmptyMap(meta.labels)) meta.labels = { ...labels };
  }
  defaultValue(spec, 'replicas', 1);
  defaultPodTemplate(spec);
}

/** core/v1 PodTemplate. */
export function defaultPodTemplateObject(obj: JsonObject): void {
  defaultPodTemplate(obj);
}

/** batch/v1 CronJob: the job template's pod template is defaulted, the job template's spec is not. */
export function defaultCronJob(obj: JsonObject): void {
  const spec = struct(obj, 'spec');
  defaultString(spec, 'concurrencyPolicy', 'Allow');
  defaultValue(spec, 'suspend', false);
  defaultValue(spec, 'successfulJobsHistoryLimit', 3);
  defaultValue(spec, 'failedJobsHistoryLimit', 1);
  const jobTemplate = spec.jobTemplate;
  if (!isObject(jobTemplate)) return;
  struct(jobTemplate, 'metadata');
  defaultPodTemplate(struct(jobTemplate, 'spec'));
}
