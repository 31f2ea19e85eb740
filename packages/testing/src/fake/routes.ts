import type { ResourceRegistry, ServedResource } from './registry.js';
import { errors } from './status.js';

/** What a request path addresses. */
export type Route =
  | { readonly type: 'discovery-root'; readonly legacy: boolean }
  | { readonly type: 'group'; readonly group: string }
  | { readonly type: 'resource-list'; readonly group: string; readonly version: string }
  | { readonly type: 'version' }
  | { readonly type: 'openapi-v2' }
  | { readonly type: 'openapi-v3-index' }
  /** `/openapi/v3/api/v1`, `/openapi/v3/apis/apps/v1`: `path` is what follows `/openapi/v3/`. */
  | { readonly type: 'openapi-v3'; readonly path: string }
  | { readonly type: 'health' }
  | {
      readonly type: 'resource';
      readonly resource: ServedResource;
      readonly namespace: string | undefined;
      readonly name: string | undefined;
      readonly subresource: string | undefined;
    };

/**
 * Routes a path as the apiserver does: `/api/v1/...` and `/apis/GROUP/VERSION/...`, with
 * `namespaces/NS/RESOURCE[/NAME[/SUBRESOURCE]]` or `RESOURCE[/NAME[/SUBRESOURCE]]`. Throws the
 * apiserver's 404s: a Status inside a served group version, plain text for an unknown group.
 */
export function route(path: string, registry: ResourceRegistry): Route {
  const segs = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [root, ...rest] = segs;
  if (root === 'version' && rest.length === 0) return { type: 'version' };
  if (root === 'openapi' && rest[0] === 'v2' && rest.length === 1) return { type: 'openapi-v2' };
  if (root === 'openapi' && rest[0] === 'v3')
    return rest.length === 1
      ? { type: 'openapi-v3-index' }
      : { type: 'openapi-v3', path: rest.slice(1).join('/') };
  if ((root === 'healthz' || root === 'readyz' || root === 'livez') && rest.length === 0)
    return { type: 'health' };
  let group: string;
  let version: string;
  let tail: string[];
  if (root === 'api') {
    if (rest.length === 0) return { type: 'discovery-root', legacy: true };
    [version, ...tail] = rest as [string, ...string[]];
    group = '';
    if (version !== 'v1') throw errors.noResource();
  } else if (root === 'apis') {
    if (rest.length === 0) return { type: 'discovery-root', legacy: false };
    [group, ...tail] = rest as [string, ...string[]];
    if (registry.versionsOf(group).length === 0) throw errors.pageNotFound();
    if (tail.length === 0) return { type: 'group', group };
    [version, ...tail] = tail as [string, ...string[]];
    if (!registry.versionsOf(group).includes(version)) throw errors.pageNotFound();
  } else throw errors.pageNotFound();
  if (tail.length === 0) return { type: 'resource-list', group, version };
  if (tail[0] === 'namespaces' && tail.length >= 3) {
    const r = registry.lookup(group, version, tail[2] as string);
    if (r?.namespaced) {
      if (tail.length > 5) throw errors.noResource();
      return { type: 'resource', resource: r, namespace: tail[1], name: tail[3], subresource: tail[4] };
    }
  }
  const r = registry.lookup(group, version, tail[0] as string);
  if (!r || tail.length > 3) throw errors.noResource();
  if (r.namespaced && tail.length > 1) throw errors.noResource();
  return { type: 'resource', resource: r, namespace: undefined, name: tail[1], subresource: tail[2] };
}
