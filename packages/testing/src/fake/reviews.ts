import { BASIC_USER_RULES, type FakeUser, PUBLIC_ROLES, publicRoleFor } from './authorizer.js';
import { timestamp } from './clock.js';
import { isObject, type JsonObject } from './json.js';
import { trackUpdate } from './managed-fields.js';
import type { ServedResource } from './registry.js';
import { type ApiError, errors, field, type StatusCause } from './status.js';

/**
 * The reviews a client creates to ask who may do what, answered rather than stored:
 * SelfSubjectReview (`kubectl auth whoami`) and SelfSubjectAccessReview (`kubectl auth can-i`)
 * and SelfSubjectRulesReview (`kubectl auth can-i --list`) about the fake's own users, and
 * SubjectAccessReview about any user and groups (what a proxy asks for the users it serves; only
 * the admin may create one). The fake has no RBAC bindings: a subject in `system:masters` may do
 * everything, and one in `system:authenticated` may only read the paths every authenticated user
 * may (see authorizer.ts), as on the test cluster. Proved by the contract's 'reviews' cases
 * (everyday-kinds.ts), on both servers.
 */

const REVIEWS = new Set([
  'authentication.k8s.io/selfsubjectreviews',
  'authorization.k8s.io/selfsubjectaccessreviews',
  'authorization.k8s.io/selfsubjectrulesreviews',
  'authorization.k8s.io/subjectaccessreviews',
]);

/** Whether `r` is a review the fake answers instead of storing. */
export function isReview(r: ServedResource): boolean {
  return REVIEWS.has(r.storageKey);
}

function groupsOf(user: FakeUser): string[] {
  return user.admin ? ['system:masters', 'system:authenticated'] : ['system:authenticated'];
}

// How RBAC words an allowance by a role bound to every authenticated user.
function everyoneReason(role: string): string {
  return `RBAC: allowed by ClusterRoleBinding "${role}" of ClusterRole "${role}" to Group "system:authenticated"`;
}

/** What a subject in `groups` may do, as RBAC answers on the test cluster (no bindings of users). */
function accessStatus(groups: readonly string[], spec: JsonObject): JsonObject {
  if (groups.includes('system:masters')) return { allowed: true };
  if (!groups.includes('system:authenticated')) return { allowed: false };
  const nonResource = spec.nonResourceAttributes;
  if (isObject(nonResource)) {
    const role = nonResource.verb === 'get' ? publicRoleFor(String(nonResource.path ?? '')) : undefined;
    return role ? { allowed: true, reason: everyoneReason(role) } : { allowed: false };
  }
  const asked = isObject(spec.resourceAttributes) ? spec.resourceAttributes : {};
  const basic = BASIC_USER_RULES.some(
    (r) =>
      r.verbs.includes(String(asked.verb ?? '')) &&
      r.apiGroups.includes(String(asked.group ?? '')) &&
      r.resources.includes(String(asked.resource ?? '')),
  );
  return basic ? { allowed: true, reason: everyoneReason('system:basic-user') } : { allowed: false };
}

/** 422 for a review's spec: the apiserver names neither a kind nor an object, `.authorization.k8s.io "" is invalid`. */
function invalidReview(r: ServedResource, causes: StatusCause[]): ApiError {
  return errors.invalid({ group: r.group, kind: '' }, '', causes);
}

/**
 * What a subject in `groups` may do in a namespace, as kube-apiserver's RBAC rule resolver lists
 * it: cluster-admin's rules for `system:masters`, then those of the roles every authenticated user
 * has (authorizer.ts).
 */
function rulesOf(groups: readonly string[]): JsonObject {
  const master = groups.includes('system:masters');
  const everyone = groups.includes('system:authenticated');
  return {
    resourceRules: [
      ...(master ? [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] : []),
      ...(everyone ? BASIC_USER_RULES : []),
    ],
    nonResourceRules: [
      ...(master ? [{ verbs: ['*'], nonResourceURLs: ['*'] }] : []),
      ...(everyone ? PUBLIC_ROLES.map((r) => ({ verbs: ['get'], nonResourceURLs: r.urls })) : []),
    ],
    incomplete: false,
  };
}

/** Answers a review `body` created by `user` (201, as the apiserver does). `manager` as for any write. */
export function answerReview(
  r: ServedResource,
  user: FakeUser,
  body: JsonObject,
  manager: string,
): JsonObject {
  const apiVersion = `${r.group}/${r.version}`;
  if (r.kind === 'SelfSubjectReview') {
    return {
      kind: r.kind,
      apiVersion,
      metadata: { creationTimestamp: timestamp() },
      status: { userInfo: { username: user.name, uid: user.name, groups: groupsOf(user) } },
    };
  }
  const spec = isObject(body.spec) ? body.spec : {};
  if (r.kind === 'SelfSubjectRulesReview') {
    if (typeof spec.namespace !== 'string' || !spec.namespace)
      throw errors.badRequest('no namespace on request');
    // kube-apiserver answers with an empty spec.
    return { kind: r.kind, apiVersion, metadata: {}, spec: {}, status: rulesOf(groupsOf(user)) };
  }
  // A SubjectAccessReview names its subject; a self review's subject is the user asking.
  const about = r.kind === 'SubjectAccessReview';
  const groups = Array.isArray(spec.groups) ? spec.groups.map(String) : [];
  const causes: StatusCause[] = [];
  if (isObject(spec.resourceAttributes) === isObject(spec.nonResourceAttributes))
    causes.push(
      field.invalid(
        'spec',
        null,
        'exactly one of nonResourceAttributes or resourceAttributes must be specified',
      ),
    );
  if (about && !spec.user && groups.length === 0)
    causes.push(
      field.invalid('spec.user', spec.user ?? '', 'at least one of user or group must be specified'),
    );
  if (causes.length > 0) throw invalidReview(r, causes);
  const managedFields = trackUpdate(
    [],
    undefined,
    { spec },
    { statusWrite: false, statusSubresource: false, builtin: true },
    { manager, apiVersion, time: timestamp() },
  );
  const status = accessStatus(about ? groups : groupsOf(user), spec);
  return { kind: r.kind, apiVersion, metadata: { managedFields }, spec, status };
}
