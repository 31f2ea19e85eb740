/**
 * The discovery documents the API server serves, as far as kates reads them
 * (k8s.io/apimachinery `metav1.APIResourceList`, `APIGroupList`, `APIVersions`, and
 * `apidiscovery.k8s.io/v2` `APIGroupDiscoveryList`).
 */

/** `GET /api` without aggregated discovery. */
export interface APIVersions {
  readonly kind?: 'APIVersions';
  readonly versions: readonly string[];
}

/** `GET /apis` without aggregated discovery. */
export interface APIGroupList {
  readonly kind?: 'APIGroupList';
  readonly groups: readonly {
    readonly name: string;
    readonly versions: readonly { readonly groupVersion: string; readonly version: string }[];
    readonly preferredVersion?: { readonly groupVersion: string; readonly version: string };
  }[];
}

/** `GET /api/v1` or `/apis/{group}/{version}`; subresources appear as `deployments/status`. */
export interface APIResourceList {
  readonly kind?: 'APIResourceList';
  readonly groupVersion: string;
  readonly resources: readonly {
    readonly name: string;
    readonly singularName?: string;
    readonly namespaced: boolean;
    readonly kind: string;
    readonly verbs?: readonly string[];
    readonly shortNames?: readonly string[];
  }[];
}

/** `GET /api` and `/apis` with aggregated discovery: every group, version and resource at once. */
export interface APIGroupDiscoveryList {
  readonly kind: 'APIGroupDiscoveryList';
  readonly items: readonly {
    readonly metadata?: { readonly name?: string };
    /** Versions in preference order: the first is the group's preferred version. */
    readonly versions: readonly {
      readonly version: string;
      /** `Stale` when an aggregated API server did not answer; its resources may be outdated. */
      readonly freshness?: 'Current' | 'Stale';
      readonly resources?: readonly {
        readonly resource: string;
        readonly responseKind?: { readonly group?: string; readonly version?: string; readonly kind: string };
        readonly scope: 'Namespaced' | 'Cluster';
        readonly singularResource?: string;
        readonly verbs?: readonly string[];
        readonly shortNames?: readonly string[];
        readonly subresources?: readonly { readonly subresource: string }[];
      }[];
    }[];
  }[];
}

/** The media type that asks for aggregated discovery, falling back to the classic documents. */
export const AGGREGATED_DISCOVERY_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
