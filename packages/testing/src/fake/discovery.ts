import type { ResourceRegistry, ServedResource } from './registry.js';

/** The media type clients ask for aggregated discovery with (client-go, kubectl). */
export const AGGREGATED_DISCOVERY = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** Whether an Accept header asks for aggregated discovery v2 (the apiserver falls back to the legacy shape otherwise). */
export function wantsAggregated(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const params = part.split(';').map((p) => p.trim());
    return (
      params.includes('g=apidiscovery.k8s.io') &&
      params.includes('v=v2') &&
      params.includes('as=APIGroupDiscoveryList')
    );
  });
}

const STATUS_VERBS = ['get', 'patch', 'update'];

function responseKind(r: ServedResource) {
  // The apiserver leaves group and version empty for built-ins and fills them for CRDs.
  return r.custom
    ? { group: r.group, version: r.version, kind: r.kind }
    : { group: '', version: '', kind: r.kind };
}

// A subresource whose kind is not the resource's own: `scale` answers autoscaling/v1 Scale.
const SCALE_KIND = { group: 'autoscaling', version: 'v1', kind: 'Scale' } as const;

function subresourceKind(r: ServedResource, subresource: string) {
  return subresource === 'scale' ? SCALE_KIND : responseKind(r);
}

function aggregatedResource(r: ServedResource) {
  const out: Record<string, unknown> = {
    resource: r.resource,
    responseKind: responseKind(r),
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singularName,
    verbs: [...r.verbs],
  };
  if (r.shortNames.length > 0) out.shortNames = [...r.shortNames];
  if (r.categories.length > 0) out.categories = [...r.categories];
  if (r.subresources.length > 0) {
    out.subresources = r.subresources.map((s) => ({
      subresource: s,
      responseKind: subresourceKind(r, s),
      verbs: STATUS_VERBS,
    }));
  }
  return out;
}

function aggregatedGroup(registry: ResourceRegistry, group: string) {
  return {
    metadata: group ? { name: group } : {},
    versions: registry.versionsOf(group).map((version) => ({
      version,
      resources: registry.resourcesOf(group, version).map(aggregatedResource),
      freshness: 'Current',
    })),
  };
}

/** `GET /api` or `/apis` with the aggregated Accept header: apidiscovery.k8s.io/v2 `APIGroupDiscoveryList`. */
export function aggregatedDiscovery(registry: ResourceRegistry, legacy: boolean) {
  const groups = legacy ? [''] : registry.groups();
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: groups.map((g) => aggregatedGroup(registry, g)),
  };
}

/** `GET /api`: the legacy `APIVersions` of the core group. */
export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(registry: ResourceRegistry, group: string) {
  const versions = registry
    .versionsOf(group)
    .map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { name: group, versions, preferredVersion: versions[0] };
}

/** `GET /apis`: the legacy `APIGroupList`. */
export function apiGroupList(registry: ResourceRegistry) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry.groups().map((g) => apiGroup(registry, g)),
  };
}

/** `GET /apis/GROUP`: one `APIGroup`, or undefined when the group is not served. */
export function apiGroupDocument(registry: ResourceRegistry, group: string) {
  if (registry.versionsOf(group).length === 0) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(registry, group) };
}

/** `GET /api/v1` or `/apis/GROUP/VERSION`: the `APIResourceList`, with `name/status` and `name/scale` entries for subresources. */
export function apiResourceList(registry: ResourceRegistry, group: string, version: string) {
  const resources = registry.resourcesOf(group, version);
  if (resources.length === 0) return undefined;
  const list = resources.flatMap((r) => {
    const main: Record<string, unknown> = {
      name: r.resource,
      singularName: r.singularName,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: [...r.verbs],
    };
    if (r.shortNames.length > 0) main.shortNames = [...r.shortNames];
    if (r.categories.length > 0) main.categories = [...r.categories];
    return [
      main,
      ...r.subresources.map((s) =>
        s === 'scale'
          ? {
              name: `${r.resource}/${s}`,
              singularName: '',
              namespaced: r.namespaced,
              group: SCALE_KIND.group,
              version: SCALE_KIND.version,
              kind: SCALE_KIND.kind,
              verbs: STATUS_VERBS,
            }
          : {
              name: `${r.resource}/${s}`,
              singularName: '',
              namespaced: r.namespaced,
              kind: r.kind,
              verbs: STATUS_VERBS,
            },
      ),
    ];
  });
  // The core group's list has no apiVersion, exactly as the apiserver sends it.
  return group
    ? { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${group}/${version}`, resources: list }
    : { kind: 'APIResourceList', groupVersion: version, resources: list };
}
