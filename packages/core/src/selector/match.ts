import type { KubernetesObject } from '../model/index.js';
import type { Requirement, Selector } from './types.js';

/**
 * Whether one requirement holds for a value (`present` false when the key is absent). As in
 * k8s.io/apimachinery/pkg/labels `Requirement.Matches`: `!=` and `notin` hold when the key is absent.
 */
function holds(r: Requirement, present: boolean, value: string): boolean {
  switch (r.operator) {
    case 'Equals':
    case 'In':
      return present && r.values.includes(value);
    case 'NotEquals':
    case 'NotIn':
      return !present || !r.values.includes(value);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
  }
}

/** Whether `labels` satisfy every requirement of `sel`. The empty selector matches everything. */
export function matchesLabels(sel: Selector, labels: Readonly<Record<string, string>> | undefined): boolean {
  for (const r of sel) {
    const present = labels !== undefined && Object.hasOwn(labels, r.key);
    if (!holds(r, present, present ? ((labels as Record<string, string>)[r.key] as string) : ''))
      return false;
  }
  return true;
}

/**
 * The value of a dotted field path (`metadata.name`, `status.phase`, `spec.nodeName`), as the
 * apiserver's field sets hold it: a string, numbers and booleans as text, `''` when missing.
 */
export function fieldValue(obj: KubernetesObject, path: string): string {
  let current: unknown = obj;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return '';
    current = (current as Record<string, unknown>)[part];
  }
  if (typeof current === 'string') return current;
  if (typeof current === 'number' || typeof current === 'boolean') return String(current);
  return '';
}

/**
 * Whether `obj` satisfies a field selector. A missing field equals `''`, as in the apiserver's
 * field sets (so `spec.nodeName=` selects unscheduled pods and `spec.nodeName!=x` selects them too).
 */
export function matchesFields(sel: Selector, obj: KubernetesObject): boolean {
  for (const r of sel) if (!holds(r, true, fieldValue(obj, r.key))) return false;
  return true;
}
