import { type FakeUser, PUBLIC_PATHS } from './authorizer.js';
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

// Which ClusterRoleBinding lets every authenticated user read a public path, as RBAC words it.
function publicReason(path: string): string {
  const role = /^\/(healthz|livez|readyz)$/.test(path) ? 'system:public-info-viewer' : 'system:discovery';
  return `RBAC: allowed by ClusterRoleBinding "${role}" of ClusterRole "${role}" to Group "system:authenticated"`;
}

/** What a subject in `groups` may do, as RBAC answers on the test cluster (no bindings of users). */
function accessStatus(groups: readonly string[], spec: JsonObject): JsonObject {
  if (groups.includes('system:masters')) return { allowed: true };
  const nonResource = spec.nonResourceAttributes;
  if (isObject(nonResource) && groups.includes('system:authenticated')) {
    const path = String(nonResource.path ?? '');
    const verb = String(nonResource.verb ?? '');
    if (verb === 'get' && PUBLIC_PATHS.some((p) => p.test(path)))
      return { allowed: true, reason: publicReason(path) };
  }
  return { allowed: false };
}

/** 422 for a review's spec: the apiserver names neither a kind nor an object, `.authorization.k8s.io "" is invalid`. */
function invalidReview(r: ServedResource, causes: StatusCause[]): ApiError {
  return errors.invalid({ group: r.group, kind: '' }, '', causes);
}

// The rules of the test cluster's bootstrap roles, as kube-apiserver 1.37 lists them in a
// SelfSubjectRulesReview: cluster-admin (bound to system:masters), and system:basic-user,
// system:discovery and system:public-info-viewer (bound to system:authenticated): the paths of
// PUBLIC_PATHS (authorizer.ts), as RBAC's rules name them.
const PUBLIC_INFO = ['/healthz', '/livez', '/readyz', '/version', '/version/'];
const EVERYONE_RESOURCE_RULES = [
  {
    verbs: ['create'],
    apiGroups: ['authorization.k8s.io'],
    resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
  },
  { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
];
const EVERYONE_NON_RESOURCE_RULES = [
  {
    verbs: ['get'],
    nonResourceURLs: [
      '/api',
      '/api/*',
      '/apis',
      '/apis/*',
      '/healthz',
      '/livez',
      '/openapi',
      '/openapi/*',
      '/readyz',
      '/version',
      '/version/',
    ],
  },
  { verbs: ['get'], nonResourceURLs: PUBLIC_INFO },
];

/** What `user` may do in a namespace, as kube-apiserver's RBAC rule resolver lists it. */
function rulesOf(user: FakeUser): JsonObject {
  return {
    resourceRules: [
      ...(user.admin ? [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] : []),
      ...EVERYONE_RESOURCE_RULES,
    ],
    nonResourceRules: [
      ...(user.admin ? [{ verbs: ['*'], nonResourceURLs: ['*'] }] : []),
      ...EVERYONE_NON_RESOURCE_RULES,
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
    return { kind: r.kind, apiVersion, metadata: {}, spec: {}, status: rulesOf(user) };
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
