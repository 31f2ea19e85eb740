import { formatSelector, parseFieldSelector, parseLabelSelector } from '@kates/core';

/** What a request asks to do to a resource, as the API server's authorizers see it. */
export interface ResourceAttributes {
  readonly verb: string;
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
  /** Selectors of a list or watch (authorizers that read them may allow a narrower read). */
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

/** A request for a path that is no resource: discovery, `/version`. */
export interface NonResourceAttributes {
  readonly path: string;
  readonly verb: string;
}

const VERBS: Readonly<Record<string, string>> = { POST: 'create', PUT: 'update', PATCH: 'patch' };

/**
 * The attributes of a request, parsed from its path as the API server's `RequestInfo` does:
 * `/api/v1/...` and `/apis/GROUP/VERSION/...`, then `namespaces/NS/RESOURCE[/NAME[/SUBRESOURCE]]`
 * or `RESOURCE[/NAME[/SUBRESOURCE]]`, and the legacy `/watch/` paths. The rest is non-resource.
 */
export function attributesOf(
  method: string,
  pathname: string,
  params: URLSearchParams | Readonly<Record<string, string>>,
): ResourceAttributes | NonResourceAttributes {
  const get = (k: string) => (params instanceof URLSearchParams ? params.get(k) : params[k]) ?? undefined;
  let segs: string[];
  try {
    segs = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return { path: pathname, verb: method.toLowerCase() };
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api' && segs.length >= 3) [group, version, rest] = ['', segs[1] as string, segs.slice(2)];
  else if (segs[0] === 'apis' && segs.length >= 4)
    [group, version, rest] = [segs[1] as string, segs[2] as string, segs.slice(3)];
  else return { path: pathname, verb: method === 'GET' ? 'get' : method.toLowerCase() };
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  // `namespaces/NS` alone is the namespace object itself.
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  } else if (rest[0] === 'namespaces' && rest.length === 2) {
    namespace = rest[1];
  }
  const [resource = '', name, subresource] = rest;
  const watch = watchPath || ['true', '1'].includes(get('watch') ?? '');
  const verb =
    method === 'GET'
      ? watch
        ? 'watch'
        : name
          ? 'get'
          : 'list'
      : method === 'DELETE'
        ? name
          ? 'delete'
          : 'deletecollection'
        : (VERBS[method] ?? method.toLowerCase());
  const selectors: { labelSelector?: string; fieldSelector?: string } = {};
  if (verb === 'list' || verb === 'watch' || verb === 'deletecollection') {
    try {
      const labels = formatSelector(parseLabelSelector(get('labelSelector') ?? ''));
      const fields = formatSelector(parseFieldSelector(get('fieldSelector') ?? ''));
      if (labels) selectors.labelSelector = labels;
      if (fields) selectors.fieldSelector = fields;
    } catch {
      // A malformed selector: authorized without it; the API server refuses it with its own words.
    }
  }
  return {
    verb,
    group,
    version,
    resource,
    ...(subresource ? { subresource } : {}),
    ...(namespace ? { namespace } : {}),
    ...(name ? { name } : {}),
    ...selectors,
  };
}
