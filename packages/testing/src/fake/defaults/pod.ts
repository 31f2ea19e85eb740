import type { JsonObject } from '../json.js';
import { defaultPodSpec } from './pod-spec.js';
import { defaultValue, items, struct } from './set.js';

/**
 * What a new Pod gets beyond its PodSpec defaults, from the admission plugins a default
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
  if (!creating) return;
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
