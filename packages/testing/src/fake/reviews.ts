import { type FakeUser, PUBLIC_PATHS } from './authorizer.js';
import { timestamp } from './clock.js';
import { isObject, type JsonObject } from './json.js';
import { trackUpdate } from './managed-fields.js';
import type { ServedResource } from './registry.js';
import { ApiError, field } from './status.js';

/**
 * The reviews a client creates to ask about itself, answered from the fake's users rather than
 * stored: SelfSubjectReview (`kubectl auth whoami`) and SelfSubjectAccessReview (`kubectl auth
 * can-i`). The admin is in `system:masters` and may do everything; `nobody` may only read the
 * paths every authenticated user may (see authorizer.ts).
 */

const REVIEWS = new Set([
  'authentication.k8s.io/selfsubjectreviews',
  'authorization.k8s.io/selfsubjectaccessreviews',
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

function accessStatus(user: FakeUser, spec: JsonObject): JsonObject {
  if (user.admin) return { allowed: true };
  const nonResource = spec.nonResourceAttributes;
  if (isObject(nonResource)) {
    const path = String(nonResource.path ?? '');
    const verb = String(nonResource.verb ?? '');
    if (verb === 'get' && PUBLIC_PATHS.some((p) => p.test(path)))
      return { allowed: true, reason: publicReason(path) };
  }
  return { allowed: false };
}

function invalidReview(r: ServedResource, message: string): ApiError {
  const cause = field.invalid('spec', null, message);
  // The apiserver names neither a kind nor an object here: `.authorization.k8s.io "" is invalid`.
  return new ApiError(422, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `.${r.group} "" is invalid: spec: ${cause.message}`,
    reason: 'Invalid',
    details: { group: r.group, causes: [cause] },
    code: 422,
  });
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
  if (isObject(spec.resourceAttributes) === isObject(spec.nonResourceAttributes))
    throw invalidReview(r, 'exactly one of nonResourceAttributes or resourceAttributes must be specified');
  const managedFields = trackUpdate(
    [],
    undefined,
    { spec },
    { statusWrite: false, statusSubresource: false, builtin: true },
    { manager, apiVersion, time: timestamp() },
  );
  return { kind: r.kind, apiVersion, metadata: { managedFields }, spec, status: accessStatus(user, spec) };
}
