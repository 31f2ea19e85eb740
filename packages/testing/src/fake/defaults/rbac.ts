import type { JsonObject } from '../json.js';
import { defaultString, items } from './set.js';

/** rbac/v1 RoleBinding and ClusterRoleBinding: a User or Group subject is of the RBAC API group. */
export function defaultBinding(obj: JsonObject): void {
  for (const subject of items(obj, 'subjects'))
    if (subject.kind === 'User' || subject.kind === 'Group')
      defaultString(subject, 'apiGroup', 'rbac.authorization.k8s.io');
}
