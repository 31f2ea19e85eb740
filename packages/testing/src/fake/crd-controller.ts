import type { KubernetesObject, StructuralSchema } from '@kates/core';
import { timestamp } from './clock.js';
import { isObject } from './json.js';
import type { ObjectApi } from './object-api.js';
import { CRD_STORAGE, type FieldReader, type ResourceRegistry, type ServedResource } from './registry.js';
import type { ObjectStore, StoreEvent } from './store.js';
import type { PrinterColumn } from './table/table.js';

/** The parts of a CustomResourceDefinition the fake serves from. */
interface CrdSpec {
  group: string;
  scope: 'Namespaced' | 'Cluster';
  names: {
    plural: string;
    singular?: string;
    kind: string;
    shortNames?: string[];
    categories?: string[];
    listKind?: string;
  };
  versions: {
    name: string;
    served: boolean;
    storage: boolean;
    subresources?: { status?: object };
    selectableFields?: { jsonPath: string }[];
    schema?: { openAPIV3Schema?: StructuralSchema };
    additionalPrinterColumns?: PrinterColumn[];
  }[];
}

// Custom resources list their verbs in this order in discovery, unlike built-ins.
const CR_VERBS = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];
const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

function reader(jsonPath: string): FieldReader {
  const parts = jsonPath.replace(/^\./, '').split('.');
  return (obj) => {
    let v: unknown = obj;
    for (const p of parts) v = isObject(v) ? v[p] : undefined;
    return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
  };
}

/** The resources a CRD serves: one per served version, sharing the storage version's objects. */
export function servedFromCrd(crd: KubernetesObject): ServedResource[] {
  const spec = crd.spec as CrdSpec;
  const storage = spec.versions.find((v) => v.storage)?.name ?? spec.versions[0]?.name ?? 'v1';
  return spec.versions
    .filter((v) => v.served)
    .map((v) => ({
      group: spec.group,
      version: v.name,
      resource: spec.names.plural,
      kind: spec.names.kind,
      namespaced: spec.scope === 'Namespaced',
      verbs: CR_VERBS,
      shortNames: spec.names.shortNames ?? [],
      singularName: spec.names.singular ?? spec.names.kind.toLowerCase(),
      categories: spec.names.categories ?? [],
      subresources: v.subresources?.status ? ['status'] : [],
      storageKey: `${spec.group}/${spec.names.plural}`,
      storageVersion: v.storage,
      storageVersionName: storage,
      generation: true,
      nameRule: 'subdomain' as const,
      fieldSelectors: Object.fromEntries(
        (v.selectableFields ?? []).map((f) => [f.jsonPath.replace(/^\./, ''), reader(f.jsonPath)]),
      ),
      fieldLabelConversion: true,
      deleteReturnsObject: false,
      custom: true,
      ...(v.schema?.openAPIV3Schema ? { schema: v.schema.openAPIV3Schema } : {}),
      ...(v.additionalPrinterColumns ? { printerColumns: v.additionalPrinterColumns } : {}),
    }));
}

function established(crd: KubernetesObject): boolean {
  return (crd.status?.conditions ?? []).some(
    (c: { type?: string; status?: string }) => c.type === 'Established' && c.status === 'True',
  );
}

/**
 * What kube-apiserver's apiextensions controllers do for the fake: accept a new CRD's names and
 * mark it Established (then serve its resource), follow its changes, and on deletion stop
 * serving, delete its objects and remove the cleanup finalizer. Work is deferred to a later
 * tick, as in the real server, so a CRD's create answers before it is established.
 */
export class CrdController {
  private readonly timers = new Set<NodeJS.Timeout>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly store: ObjectStore,
    private readonly registry: ResourceRegistry,
    private readonly api: ObjectApi,
    private readonly establishDelayMs: number,
  ) {}

  start(): void {
    this.unsubscribe = this.store.subscribe((e) => this.onEvent(e));
  }

  stop(): void {
    this.unsubscribe?.();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private later(ms: number, work: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      work();
    }, ms);
    this.timers.add(t);
  }

  private onEvent(e: StoreEvent): void {
    if (e.storageKey !== CRD_STORAGE) return;
    const name = e.object.metadata?.name as string;
    if (e.type === 'DELETED') return;
    if (e.object.metadata?.deletionTimestamp) this.later(0, () => this.cleanup(name));
    else if (established(e.object)) this.serve(e.object);
    else this.later(this.establishDelayMs, () => this.establish(name));
  }

  /** Establishes every CRD still pending, now (used when seeding, before custom objects are created). */
  establishAll(): void {
    for (const [, crd] of this.store.keysFrom(CRD_STORAGE, undefined, undefined)) {
      if (!established(crd) && !crd.metadata?.deletionTimestamp) this.establish(crd.metadata?.name as string);
    }
  }

  private crdResource(): ServedResource {
    return this.registry.lookup('apiextensions.k8s.io', 'v1', 'customresourcedefinitions') as ServedResource;
  }

  private establish(name: string): void {
    const crd = this.store.get(CRD_STORAGE, name);
    if (!crd || crd.metadata?.deletionTimestamp || established(crd)) return;
    const spec = crd.spec as CrdSpec;
    const now = timestamp();
    const status = {
      ...crd.status,
      conditions: [
        {
          type: 'NamesAccepted',
          status: 'True',
          lastTransitionTime: now,
          reason: 'NoConflicts',
          message: 'no conflicts found',
        },
        {
          type: 'Established',
          status: 'True',
          lastTransitionTime: now,
          reason: 'InitialNamesAccepted',
          message: 'the initial names have been accepted',
        },
      ],
      acceptedNames: { ...spec.names, listKind: spec.names.listKind ?? `${spec.names.kind}List` },
    };
    this.serve(crd);
    this.api.update(
      this.crdResource(),
      undefined,
      name,
      { ...crd, status },
      { manager: 'kube-apiserver', subresource: 'status' },
    );
  }

  private serve(crd: KubernetesObject): void {
    const resources = servedFromCrd(crd);
    const key = resources[0]?.storageKey;
    if (!key) return;
    this.registry.removeStorage(key);
    for (const r of resources) this.registry.add(r);
  }

  private cleanup(name: string): void {
    const crd = this.store.get(CRD_STORAGE, name);
    if (!crd) return;
    const spec = crd.spec as CrdSpec;
    const storageKey = `${spec.group}/${spec.names.plural}`;
    this.registry.removeStorage(storageKey);
    // Custom objects go whatever their finalizers: nothing can serve them any more.
    for (const [key] of [...this.store.keysFrom(storageKey, undefined, undefined)]) {
      this.store.commit(storageKey, key, () => undefined);
    }
    this.store.drop(storageKey);
    const finalizers = (crd.metadata?.finalizers ?? []).filter((f) => f !== CLEANUP_FINALIZER);
    this.api.update(
      this.crdResource(),
      undefined,
      name,
      { ...crd, metadata: { ...crd.metadata, finalizers } },
      { manager: 'kube-apiserver' },
    );
  }
}
