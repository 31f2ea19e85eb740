import { booleanParam } from './query.js';
import { type ApiError, errors } from './status.js';

/**
 * Who may do what on the fake, as on the test cluster: an admin in `system:masters` may do
 * everything; `kates-nobody` is an authenticated user with no RBAC bindings, so it may read
 * discovery, version and health (the `system:discovery` and `system:public-info-viewer` roles
 * every authenticated user has) and gets 403 Forbidden for anything else, in kube-apiserver's words.
 */

/** An authenticated user of the fake. */
export interface FakeUser {
  readonly name: string;
  /** In `system:masters`: every request is allowed. */
  readonly admin: boolean;
}

/** The users of the test cluster's token file, by role. */
export const ADMIN: FakeUser = { name: 'kates-admin', admin: true };
export const NOBODY: FakeUser = { name: 'kates-nobody', admin: false };

/** What a request asks for, as the apiserver's RequestInfo parses it from the path. */
export interface RequestInfo {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
}

/** A rule of a role on resources, as a SelfSubjectRulesReview lists it. */
export interface ResourceRule {
  readonly verbs: readonly string[];
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
}

/**
 * What every authenticated user may do on the test cluster: the bootstrap ClusterRoles bound to
 * `system:authenticated`, with their rules as kube-apiserver 1.37 lists them (a
 * SelfSubjectRulesReview; the contract's 'reviews' cases hold both servers to them). `nobody` may
 * do this and nothing else; requests (`authorize`) and reviews (reviews.ts) read it here.
 */
export const BASIC_USER_RULES: readonly ResourceRule[] = [
  {
    verbs: ['create'],
    apiGroups: ['authorization.k8s.io'],
    resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
  },
  { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
];
/** The non-resource URLs each role lets every authenticated user GET, in the order a SelfSubjectRulesReview listed them. */
export const PUBLIC_ROLES: readonly { readonly role: string; readonly urls: readonly string[] }[] = [
  {
    role: 'system:discovery',
    urls: [
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
  { role: 'system:public-info-viewer', urls: ['/healthz', '/livez', '/readyz', '/version', '/version/'] },
];

/**
 * The role that lets every authenticated user GET `path`, matched as RBAC matches non-resource
 * URLs (the URL itself, or a prefix ending in `*`); undefined where none does.
 */
export function publicRoleFor(path: string): string | undefined {
  const matches = (url: string) => url === path || (url.endsWith('*') && path.startsWith(url.slice(0, -1)));
  return PUBLIC_ROLES.find((r) => r.urls.some(matches))?.role;
}

/**
 * The resource a path addresses, or undefined for a non-resource path (discovery, version,
 * health): `/api/v1/...` and `/apis/GROUP/VERSION/...` with at least a resource after them.
 */
export function requestInfo(method: string, path: string, params: URLSearchParams): RequestInfo | undefined {
  const segs = path.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let rest: string[];
  if (segs[0] === 'api' && segs.length >= 3) [group, rest] = ['', segs.slice(2)];
  else if (segs[0] === 'apis' && segs.length >= 4) [group, rest] = [segs[1] as string, segs.slice(3)];
  else return undefined;
  let namespace: string | undefined;
  // `namespaces/NS` alone is the namespace object itself, which the apiserver checks in its own namespace.
  if (rest[0] === 'namespaces' && rest.length >= 2) {
    namespace = rest[1];
    if (rest.length > 2) rest = rest.slice(2);
  }
  const [resource, name, subresource] = rest as [string, string?, string?];
  const verb =
    method === 'GET'
      ? name
        ? 'get'
        : booleanParam(params, 'watch')
          ? 'watch'
          : 'list'
      : method === 'POST'
        ? 'create'
        : method === 'PUT'
          ? 'update'
          : method === 'PATCH'
            ? 'patch'
            : name
              ? 'delete'
              : 'deletecollection';
  return {
    verb,
    group,
    resource,
    ...(subresource ? { subresource } : {}),
    ...(namespace ? { namespace } : {}),
    ...(name ? { name } : {}),
  };
}

function forbidden(user: FakeUser, info: RequestInfo): ApiError {
  const qualified = info.group ? `${info.resource}.${info.group}` : info.resource;
  const what = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
  const where = info.namespace ? `in the namespace "${info.namespace}"` : 'at the cluster scope';
  return errors.forbidden(
    `${qualified}${info.name ? ` "${info.name}"` : ''} is forbidden: User "${user.name}" cannot ${info.verb} ` +
      `resource "${what}" in API group "${info.group}" ${where}`,
    {
      ...(info.name ? { name: info.name } : {}),
      ...(info.group ? { group: info.group } : {}),
      kind: info.resource,
    },
  );
}

// system:basic-user: every authenticated user may ask who it is and what it may do.
function isSelfReview(info: RequestInfo): boolean {
  return BASIC_USER_RULES.some(
    (r) =>
      r.verbs.includes(info.verb) && r.apiGroups.includes(info.group) && r.resources.includes(info.resource),
  );
}

/** Throws the apiserver's 403 when `user` may not make this request. */
export function authorize(user: FakeUser, method: string, url: URL): void {
  if (user.admin) return;
  const info = requestInfo(method, url.pathname, url.searchParams);
  if (info && isSelfReview(info)) return;
  if (info) throw forbidden(user, info);
  if (method === 'GET' && publicRoleFor(url.pathname)) return;
  throw errors.forbidden(
    `forbidden: User "${user.name}" cannot ${method.toLowerCase()} path "${url.pathname}"`,
    {},
  );
}
