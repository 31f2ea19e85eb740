import { isObject, type JsonObject } from '../json.js';
import { defaultPodSpec } from './pod-spec.js';
import { qosClass } from './qos.js';
import { defaultValue, items, struct } from './set.js';

/**
 * What a Pod gets beyond its PodSpec defaults: requests from its limits, on create its QoS class,
 * and from the admission plugins a default
 * kube-apiserver runs: Priority (priority 0 and PreemptLowerPriority, with no PriorityClass named
 * and none global default) and DefaultTolerationSeconds (300 s for not-ready and unreachable nodes).
 */

const NO_EXECUTE_TAINTS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

function tolerates(tolerations: JsonObject[], key: string): boolean {
  return tolerations.some(
    (t) =>
      (t.effect === undefined || t.effect === '' || t.effect === 'NoExecute') &&
      (t.key === key || ((t.key === undefined || t.key === '') && t.operator === 'Exists')),
  );
}

/** Defaults a Pod in place: its spec, and on create what admission adds. */
export function defaultPod(pod: JsonObject, creating: boolean): void {
  const spec = struct(pod, 'spec');
  defaultPodSpec(spec, true);
  // A Pod's container requests what it limits unless it says otherwise (SetDefaults_Pod).
  for (const key of ['initContainers', 'containers'])
    for (const c of items(spec, key)) {
      const resources = struct(c, 'resources');
      if (!isObject(resources.limits)) continue;
      const requests = isObject(resources.requests) ? resources.requests : {};
      resources.requests = { ...resources.limits, ...requests };
    }
  if (!creating) return;
  if (isObject(pod.status)) pod.status = { ...pod.status, qosClass: qosClass(spec) };
  const tolerations = items(spec, 'tolerations');
  const added = NO_EXECUTE_TAINTS.filter((key) => !tolerates(tolerations, key)).map((key) => ({
    key,
    operator: 'Exists',
    effect: 'NoExecute',
    tolerationSeconds: 300,
  }));
  if (added.length > 0) spec.tolerations = [...((spec.tolerations as unknown[] | undefined) ?? []), ...added];
  if (spec.priorityClassName === undefined || spec.priorityClassName === '') {
    defaultValue(spec, 'priority', 0);
    defaultValue(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  }
}
