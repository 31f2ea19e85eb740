/**
 * A resource type as discovery serves it, resolved from any name kubectl accepts
 * (`svc`, `deploy`, `deployments.apps`, `Deployment.v1.apps`, `apps/v1/Deployment`, CRD names).
 */
export interface ResourceType {
  /** API group; `''` for the core group. */
  readonly group: string;
  /** The version used: the group's preferred version unless one was named. */
  readonly version: string;
  /** Plural resource name, as in URLs: `deployments`. */
  readonly resource: string;
  /** Kind: `Deployment`. */
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
  readonly shortNames?: readonly string[];
  readonly singularName?: string;
  /** Subresources served, such as `status` and `scale`. */
  readonly subresources?: readonly string[];
}

/** `apps/v1`, or `v1` for the core group. */
export function apiVersionOf(rt: Pick<ResourceType, 'group' | 'version'>): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

/** `Deployment.apps`, or `Service` for the core group: a kind's identity across versions. */
export function groupKindOf(rt: Pick<ResourceType, 'group' | 'kind'>): string {
  return rt.group ? `${rt.kind}.${rt.group}` : rt.kind;
}

/** The group-kind of an object from its `apiVersion` and `kind`. */
export function groupKindOfObject(obj: { apiVersion?: string; kind?: string }): string {
  const apiVersion = obj.apiVersion ?? '';
  const slash = apiVersion.indexOf('/');
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  return group ? `${obj.kind}.${group}` : `${obj.kind ?? ''}`;
}

/** The URL path of a collection: `/apis/apps/v1/namespaces/ns/deployments`, or all namespaces. */
export function collectionPath(rt: ResourceType, namespace?: string): string {
  const base = rt.group ? `/apis/${rt.group}/${rt.version}` : `/api/${rt.version}`;
  return rt.namespaced && namespace
    ? `${base}/namespaces/${encodeURIComponent(namespace)}/${rt.resource}`
    : `${base}/${rt.resource}`;
}

/** The URL path of one object, with an optional subresource. */
export function objectPath(rt: ResourceType, name: string, namespace?: string, subresource?: string): string {
  const path = `${collectionPath(rt, namespace)}/${encodeURIComponent(name)}`;
  return subresource ? `${path}/${subresource}` : path;
}
