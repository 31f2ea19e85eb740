import type { KubernetesObject, ResourceType, StructuralSchema } from '@kates/core';
import { EVERYDAY_KINDS } from './everyday-kinds.js';
import type { PrinterColumn } from './table/table.js';

/** The CRD resource's storage key. */
export const CRD_STORAGE = 'apiextensions.k8s.io/customresourcedefinitions';
/** The namespace resource's storage key. */
export const NAMESPACES_STORAGE = '/namespaces';

/** How the apiserver validates `metadata.name` of a kind (`path`: any path segment, as RBAC names). */
export type NameRule = 'subdomain' | 'label' | 'dns1035' | 'path';

/** A field selector label and how to read it from an object (the apiserver's per-kind field set). */
export type FieldReader = (obj: KubernetesObject) => string;

/**
 * One resource the fake API server serves, at one version: what discovery says about it
 * ({@link ResourceType}) plus how the server treats its objects.
 */
export interface ServedResource extends ResourceType {
  readonly singularName: string;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly subresources: readonly string[];
  /** Storage identity shared by all versions of a resource: `apps/deployments`. */
  readonly storageKey: string;
  /** Whether this version is the storage version (the one discovery prefers). */
  readonly storageVersion: boolean;
  /** The storage version's name, when this version is not it (CRDs with several versions). */
  readonly storageVersionName?: string;
  /** `metadata.generation` is kept and bumped on spec changes. */
  readonly generation: boolean;
  readonly nameRule: NameRule;
  /** Field selector labels beyond `metadata.name` and `metadata.namespace`. */
  readonly fieldSelectors: Readonly<Record<string, FieldReader>>;
  /**
   * The apiserver words an unknown field label two ways: kinds with a field label conversion say
   * `field label not supported: x`, the others `"x" is not a known field selector: ...`.
   */
  readonly fieldLabelConversion: boolean;
  /** DELETE answers the deleted object rather than a `Status` (pods, services, namespaces). */
  readonly deleteReturnsObject: boolean;
  /** Status the apiserver gives a new object (it drops the status a create sends). */
  readonly initialStatus?: () => Record<string, unknown>;
  /** Served from a CustomResourceDefinition (discovery fills `responseKind` group and version). */
  readonly custom: boolean;
  /** client-node's model of a built-in kind (`V1ConfigMap`): the fields its objects may have. */
  readonly model?: string;
  /** A custom resource version's `openAPIV3Schema`: how its objects are pruned and validated. */
  readonly schema?: StructuralSchema;
  /** A custom resource version's `additionalPrinterColumns`: what `kubectl get` shows. */
  readonly printerColumns?: readonly PrinterColumn[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** A field selector reader of the value at a dotted path. */
export const path =
  (p: string, fallback = ''): FieldReader =>
  (obj) => {
    let v: unknown = obj;
    for (const part of p.split('.'))
      v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
    return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : fallback;
  };

/** A built-in kind as the registry's tables describe it. */
export interface BuiltinRow {
  group: string;
  /** `v1` unless said; a kind served at several versions has one row per version. */
  version?: string;
  /** For a version that is not the storage version: the one objects are stored at. */
  storageVersionName?: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  singular: string;
  shortNames?: string[];
  categories?: string[];
  status?: boolean;
  generation?: boolean;
  nameRule?: NameRule;
  fields?: Record<string, FieldReader>;
  conversion?: boolean;
  returnsObject?: boolean;
  verbs?: string[];
  initialStatus?: () => Record<string, unknown>;
  /** Serves the `scale` subresource (autoscaling/v1 Scale of `spec.replicas`). */
  scale?: boolean;
  /** client-node's model name when it is not `V1` + kind. */
  model?: string;
}

// The built-in kinds, as the v1.37 apiserver describes them (checked against a real one).
const BUILTIN: BuiltinRow[] = [
  {
    group: '',
    resource: 'namespaces',
    kind: 'Namespace',
    namespaced: false,
    singular: 'namespace',
    shortNames: ['ns'],
    status: true,
    nameRule: 'label',
    fields: { 'status.phase': path('status.phase') },
    conversion: true,
    returnsObject: true,
    verbs: ALL_VERBS.filter((v) => v !== 'deletecollection'),
    initialStatus: () => ({ phase: 'Active' }),
  },
  {
    group: '',
    resource: 'configmaps',
    kind: 'ConfigMap',
    namespaced: true,
    singular: 'configmap',
    shortNames: ['cm'],
  },
  {
    group: '',
    resource: 'secrets',
    kind: 'Secret',
    namespaced: true,
    singular: 'secret',
    fields: { type: path('type') },
    conversion: true,
  },
  {
    group: '',
    resource: 'services',
    kind: 'Service',
    namespaced: true,
    singular: 'service',
    shortNames: ['svc'],
    categories: ['all'],
    status: true,
    nameRule: 'dns1035',
    conversion: true,
    returnsObject: true,
    fields: { 'spec.clusterIP': path('spec.clusterIP'), 'spec.type': path('spec.type') },
    initialStatus: () => ({ loadBalancer: {} }),
  },
  {
    group: '',
    resource: 'pods',
    kind: 'Pod',
    namespaced: true,
    singular: 'pod',
    shortNames: ['po'],
    categories: ['all'],
    status: true,
    generation: true,
    conversion: true,
    returnsObject: true,
    fields: {
      'spec.nodeName': path('spec.nodeName'),
      'spec.restartPolicy': path('spec.restartPolicy'),
      'spec.schedulerName': path('spec.schedulerName'),
      'spec.serviceAccountName': path('spec.serviceAccountName'),
      'spec.hostNetwork': path('spec.hostNetwork', 'false'),
      'status.phase': path('status.phase'),
      'status.podIP': path('status.podIP'),
      'status.nominatedNodeName': path('status.nominatedNodeName'),
    },
    initialStatus: () => ({ phase: 'Pending', qosClass: 'BestEffort' }),
  },
  {
    group: '',
    resource: 'serviceaccounts',
    kind: 'ServiceAccount',
    namespaced: true,
    singular: 'serviceaccount',
    shortNames: ['sa'],
  },
  {
    group: '',
    resource: 'events',
    kind: 'Event',
    namespaced: true,
    singular: 'event',
    shortNames: ['ev'],
    conversion: true,
    model: 'CoreV1Event',
    fields: Object.fromEntries([
      ...['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'].map((f) => [
        `involvedObject.${f}`,
        path(`involvedObject.${f}`),
      ]),
      ['reason', path('reason')],
      ['reportingComponent', path('reportingComponent')],
      ['source', path('source.component')],
      ['type', path('type')],
    ]),
  },
  {
    group: '',
    resource: 'endpoints',
    kind: 'Endpoints',
    namespaced: true,
    singular: 'endpoints',
    shortNames: ['ep'],
  },
  {
    group: '',
    resource: 'nodes',
    kind: 'Node',
    namespaced: false,
    singular: 'node',
    shortNames: ['no'],
    status: true,
    conversion: true,
    fields: { 'spec.unschedulable': path('spec.unschedulable', 'false') },
  },
  {
    group: 'apps',
    resource: 'deployments',
    kind: 'Deployment',
    namespaced: true,
    scale: true,
    singular: 'deployment',
    shortNames: ['deploy'],
    categories: ['all'],
    status: true,
    generation: true,
    initialStatus: () => ({}),
  },
  {
    group: 'apps',
    resource: 'replicasets',
    kind: 'ReplicaSet',
    namespaced: true,
    scale: true,
    singular: 'replicaset',
    shortNames: ['rs'],
    categories: ['all'],
    status: true,
    generation: true,
    conversion: true,
    fields: { 'status.replicas': path('status.replicas', '0') },
    initialStatus: () => ({ replicas: 0 }),
  },
  {
    group: 'apps',
    resource: 'statefulsets',
    kind: 'StatefulSet',
    namespaced: true,
    scale: true,
    singular: 'statefulset',
    shortNames: ['sts'],
    categories: ['all'],
    status: true,
    generation: true,
    initialStatus: () => ({ replicas: 0, availableReplicas: 0 }),
  },
  {
    group: 'apps',
    resource: 'daemonsets',
    kind: 'DaemonSet',
    namespaced: true,
    singular: 'daemonset',
    shortNames: ['ds'],
    categories: ['all'],
    status: true,
    generation: true,
    initialStatus: () => ({
      currentNumberScheduled: 0,
      numberMisscheduled: 0,
      desiredNumberScheduled: 0,
      numberReady: 0,
    }),
  },
  // The Event API controllers record to (client-go's tools/events). The apiserver keeps one store for
  // both Event APIs and converts between them; here each has its own (no v1 <-> events.k8s.io view).
  {
    group: 'events.k8s.io',
    resource: 'events',
    kind: 'Event',
    namespaced: true,
    singular: 'event',
    shortNames: ['ev'],
    model: 'EventsV1Event',
  },
  { group: 'coordination.k8s.io', resource: 'leases', kind: 'Lease', namespaced: true, singular: 'lease' },
  {
    group: 'apiextensions.k8s.io',
    resource: 'customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    namespaced: false,
    singular: 'customresourcedefinition',
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    status: true,
    generation: true,
  },
];

function builtin(row: BuiltinRow): ServedResource {
  const version = row.version ?? 'v1';
  return {
    group: row.group,
    version,
    resource: row.resource,
    kind: row.kind,
    namespaced: row.namespaced,
    verbs: row.verbs ?? ALL_VERBS,
    shortNames: row.shortNames ?? [],
    singularName: row.singular,
    categories: row.categories ?? [],
    // In the apiserver's order: discovery lists `scale` before `status`.
    subresources: [...(row.scale ? ['scale'] : []), ...(row.status ? ['status'] : [])],
    storageKey: `${row.group}/${row.resource}`,
    storageVersion: row.storageVersionName === undefined,
    ...(row.storageVersionName ? { storageVersionName: row.storageVersionName } : {}),
    generation: row.generation ?? false,
    nameRule: row.nameRule ?? 'subdomain',
    fieldSelectors: row.fields ?? {},
    fieldLabelConversion: row.conversion ?? false,
    deleteReturnsObject: row.returnsObject ?? false,
    custom: false,
    model: row.model ?? `V${version.slice(1)}${row.kind}`,
    ...(row.initialStatus ? { initialStatus: row.initialStatus } : {}),
  };
}

/** Whether a resource has a `status` subresource (so the main resource ignores `status`, and vice versa). */
export function hasStatusSubresource(r: ServedResource): boolean {
  return r.subresources.includes('status');
}

/** Whether a resource has a `scale` subresource. */
export function hasScaleSubresource(r: ServedResource): boolean {
  return r.subresources.includes('scale');
}

/**
 * The resources the fake API server serves: the built-in table plus those of established CRDs.
 * Looked up by URL (group, version, plural) as the apiserver routes requests.
 */
export class ResourceRegistry {
  private readonly byPath = new Map<string, ServedResource>();
  /** Group order as discovery lists it: built-in groups first, then CRD groups as they appear. */
  private readonly groupOrder: string[] = [];

  constructor() {
    for (const row of [...BUILTIN, ...EVERYDAY_KINDS]) this.add(builtin(row));
  }

  private static pathKey(group: string, version: string, resource: string): string {
    return `${group}/${version}/${resource}`;
  }

  /** Serves a resource at its version (replacing what was served there). */
  add(r: ServedResource): void {
    this.byPath.set(ResourceRegistry.pathKey(r.group, r.version, r.resource), r);
    if (r.group && !this.groupOrder.includes(r.group)) this.groupOrder.push(r.group);
  }

  /** Stops serving every version of a resource (a CRD being deleted). */
  removeStorage(storageKey: string): void {
    for (const [k, r] of this.byPath) if (r.storageKey === storageKey) this.byPath.delete(k);
    const groups = new Set([...this.byPath.values()].map((r) => r.group));
    for (let i = this.groupOrder.length - 1; i >= 0; i--) {
      if (!groups.has(this.groupOrder[i] as string)) this.groupOrder.splice(i, 1);
    }
  }

  lookup(group: string, version: string, resource: string): ServedResource | undefined {
    return this.byPath.get(ResourceRegistry.pathKey(group, version, resource));
  }

  /** The resource serving a kind at an apiVersion (`apps/v1`, `Deployment`), for seed objects. */
  forKind(apiVersion: string, kind: string): ServedResource | undefined {
    const slash = apiVersion.indexOf('/');
    const [group, version] =
      slash >= 0 ? [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)] : ['', apiVersion];
    return [...this.byPath.values()].find(
      (r) => r.group === group && r.version === version && r.kind === kind,
    );
  }

  /** Every served resource of a group version. */
  resourcesOf(group: string, version: string): ServedResource[] {
    return [...this.byPath.values()]
      .filter((r) => r.group === group && r.version === version)
      .sort((a, b) => (a.resource < b.resource ? -1 : 1));
  }

  /** Served versions of a group, preferred (storage) version first. */
  versionsOf(group: string): string[] {
    const versions = new Map<string, boolean>();
    for (const r of this.byPath.values()) {
      if (r.group === group) versions.set(r.version, (versions.get(r.version) ?? false) || r.storageVersion);
    }
    return [...versions]
      .sort((a, b) => Number(b[1]) - Number(a[1]) || compareVersions(a[0], b[0]))
      .map(([v]) => v);
  }

  /** Named groups in discovery order. */
  groups(): string[] {
    return [...this.groupOrder];
  }

  /** The storage-version resource of a storage key (where its objects are read for cleanup). */
  storageResource(storageKey: string): ServedResource | undefined {
    return [...this.byPath.values()].find((r) => r.storageKey === storageKey && r.storageVersion);
  }
}

/** Kubernetes version priority: GA > beta > alpha, higher numbers first (`v2` > `v1` > `v1beta2`). */
export function compareVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    const level = m[2] === 'alpha' ? 1 : m[2] === 'beta' ? 2 : 3;
    return [level, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [ra, rb] = [rank(a), rank(b)];
  for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return (rb[i] as number) - (ra[i] as number);
  return a < b ? -1 : a > b ? 1 : 0;
}
