import type { KubernetesObject } from '@kates/core';
import type { DeleteOptions } from './deletion.js';
import type { ObjectApi } from './object-api.js';
import type { ResourceRegistry, ServedResource } from './registry.js';
import { ApiError } from './status.js';
import { type ObjectStore, objectKey, type StoreEvent } from './store.js';

/** The finalizer of an object deleting its dependents first (`propagationPolicy: Foreground`). */
export const FOREGROUND_DELETION = 'foregroundDeletion';
/** The finalizer of an object leaving its dependents behind (`propagationPolicy: Orphan`). */
export const ORPHAN = 'orphan';
/** The field manager of the garbage collector's writes, as kube-controller-manager signs them. */
const GC_MANAGER = 'kube-controller-manager';

/** The `metadata.ownerReferences` entry of a dependent. */
interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly blockOwnerDeletion?: boolean;
}

/** The first of the two garbage collector finalizers an object has: it decides a delete without a policy. */
function finalizerPolicy(finalizers: readonly string[]): 'orphan' | 'foreground' | undefined {
  for (const f of finalizers) {
    if (f === ORPHAN) return 'orphan';
    if (f === FOREGROUND_DELETION) return 'foreground';
  }
  return undefined;
}

/**
 * The finalizers a DELETE leaves on an object, as the apiserver's generic registry computes them
 * for the garbage collector: an explicit policy wins, then the finalizer the object already has,
 * then the default (Background: neither).
 */
export function deletionFinalizers(finalizers: readonly string[], options: DeleteOptions): string[] {
  const policy = options.propagationPolicy;
  const existing = finalizerPolicy(finalizers);
  const orphan =
    options.orphanDependents !== undefined
      ? options.orphanDependents
      : policy
        ? policy === 'Orphan'
        : existing === 'orphan';
  const foreground =
    options.orphanDependents === undefined && (policy ? policy === 'Foreground' : existing === 'foreground');
  const kept = finalizers.filter((f) => f !== ORPHAN && f !== FOREGROUND_DELETION);
  return [...kept, ...(orphan ? [ORPHAN] : []), ...(foreground ? [FOREGROUND_DELETION] : [])];
}

function referencesOf(obj: KubernetesObject | undefined): readonly OwnerReference[] {
  return (obj?.metadata?.ownerReferences ?? []) as readonly OwnerReference[];
}

/** `storageKey` and `namespace/name` of a stored object, as one string. */
function locationOf(storageKey: string, key: string): string {
  return `${storageKey}\u0000${key}`;
}

/**
 * What kube-controller-manager's garbage collector does for the fake, for the deletions clients
 * start: an owner deleted in the foreground (`foregroundDeletion`) has its dependents deleted, and
 * goes once no dependent with `blockOwnerDeletion` is left; an orphaning owner (`orphan`) has its
 * references removed from its dependents, then goes; the dependents of a deleted owner are deleted
 * (or, when they have other owners, lose the reference). Dependents are found by owner uid, as the
 * real one's graph does. Work is deferred to the next tick, as the real one works behind the
 * apiserver. Objects whose owners never existed in this server are left alone.
 */
export class GarbageCollector {
  /** Dependents by owner uid. */
  private readonly dependents = new Map<string, Set<string>>();
  /** Owners with a garbage collector finalizer, waiting for it: uid to location. */
  private readonly owners = new Map<string, string>();
  /** Uids of deleted owners whose dependents are still to be collected. */
  private readonly dangling = new Set<string>();
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Immediate | undefined;

  constructor(
    private readonly store: ObjectStore,
    private readonly registry: ResourceRegistry,
    private readonly api: ObjectApi,
  ) {}

  start(): void {
    this.unsubscribe = this.store.subscribe((e) => this.onEvent(e));
  }

  stop(): void {
    this.unsubscribe?.();
    if (this.timer) clearImmediate(this.timer);
  }

  private onEvent(e: StoreEvent): void {
    const location = locationOf(e.storageKey, e.key);
    const before = referencesOf(e.prev);
    const after = e.type === 'DELETED' ? [] : referencesOf(e.object);
    for (const ref of before) this.dependents.get(ref.uid)?.delete(location);
    for (const ref of after) {
      const set = this.dependents.get(ref.uid) ?? new Set<string>();
      set.add(location);
      this.dependents.set(ref.uid, set);
    }
    const uid = e.object.metadata?.uid;
    let wake = [...before, ...after].some((ref) => this.owners.has(ref.uid));
    if (uid && e.type === 'DELETED') {
      this.owners.delete(uid);
      if ((this.dependents.get(uid)?.size ?? 0) > 0) {
        this.dangling.add(uid);
        wake = true;
      }
    } else if (
      uid &&
      e.object.metadata?.deletionTimestamp &&
      finalizerPolicy(e.object.metadata.finalizers ?? [])
    ) {
      this.owners.set(uid, location);
      wake = true;
    }
    if (wake) this.timer ??= setImmediate(() => this.run());
  }

  private run(): void {
    this.timer = undefined;
    for (const uid of [...this.dangling]) {
      this.dangling.delete(uid);
      for (const dependent of this.dependentsOf(uid)) this.collect(dependent.obj, dependent.resource);
    }
    for (const [uid, location] of [...this.owners]) this.finish(uid, location);
  }

  private read(location: string): { obj: KubernetesObject; resource: ServedResource } | undefined {
    const [storageKey, key] = location.split('\u0000') as [string, string];
    const obj = this.store.get(storageKey, key);
    const resource = this.registry.storageResource(storageKey);
    return obj && resource ? { obj, resource } : undefined;
  }

  private dependentsOf(uid: string): { obj: KubernetesObject; resource: ServedResource }[] {
    return [...(this.dependents.get(uid) ?? [])].flatMap((l) => this.read(l) ?? []);
  }

  /** The owner a reference names, if it exists with that uid; undefined if it is gone; `unknown` if its kind is not served. */
  private ownerOf(
    dependent: KubernetesObject,
    ref: OwnerReference,
  ): KubernetesObject | 'unknown' | undefined {
    const r = this.registry.forKind(ref.apiVersion, ref.kind);
    if (!r) return 'unknown';
    const owner = this.store.get(
      r.storageKey,
      objectKey(r.namespaced ? dependent.metadata?.namespace : undefined, ref.name),
    );
    return owner?.metadata?.uid === ref.uid ? owner : undefined;
  }

  /**
   * A dependent whose owner is gone or deleting in the foreground: deleted when no owner holds it
   * (solid: present, not deleting in the foreground), otherwise freed of the references that do not.
   */
  private collect(obj: KubernetesObject, resource: ServedResource): void {
    if (obj.metadata?.deletionTimestamp) return;
    const refs = referencesOf(obj);
    const holding = refs.filter((ref) => {
      const owner = this.ownerOf(obj, ref);
      if (owner === 'unknown') return true;
      return (
        owner !== undefined &&
        !(
          owner.metadata?.deletionTimestamp && (owner.metadata.finalizers ?? []).includes(FOREGROUND_DELETION)
        )
      );
    });
    if (holding.length > 0) {
      if (holding.length < refs.length) this.setReferences(obj, resource, holding);
      return;
    }
    const waited =
      holding.length < refs.length && (this.dependents.get(obj.metadata?.uid ?? '')?.size ?? 0) > 0;
    const existing = finalizerPolicy(obj.metadata?.finalizers ?? []);
    const propagationPolicy =
      waited || existing === 'foreground' ? 'Foreground' : existing === 'orphan' ? 'Orphan' : 'Background';
    this.write(() =>
      this.api.delete(resource, obj.metadata?.namespace, obj.metadata?.name as string, { propagationPolicy }),
    );
  }

  /** Works on an owner with a garbage collector finalizer; removes the finalizer once its dependents allow. */
  private finish(uid: string, location: string): void {
    const found = this.read(location);
    const policy = finalizerPolicy(found?.obj.metadata?.finalizers ?? []);
    if (!found || found.obj.metadata?.uid !== uid || !found.obj.metadata?.deletionTimestamp || !policy) {
      this.owners.delete(uid);
      return;
    }
    const dependents = this.dependentsOf(uid);
    if (policy === 'orphan') {
      for (const d of dependents)
        this.setReferences(
          d.obj,
          d.resource,
          referencesOf(d.obj).filter((ref) => ref.uid !== uid),
        );
    } else {
      for (const d of dependents) this.collect(d.obj, d.resource);
      const blocking = this.dependentsOf(uid).some(({ obj }) =>
        referencesOf(obj).some((ref) => ref.uid === uid && ref.blockOwnerDeletion === true),
      );
      if (blocking) return;
    }
    const current = this.read(location);
    if (!current) return;
    const finalizer = policy === 'orphan' ? ORPHAN : FOREGROUND_DELETION;
    const finalizers = (current.obj.metadata?.finalizers ?? []).filter((f) => f !== finalizer);
    this.write(() => this.update(current.obj, current.resource, { finalizers }));
  }

  private setReferences(
    obj: KubernetesObject,
    resource: ServedResource,
    refs: readonly OwnerReference[],
  ): void {
    this.write(() => this.update(obj, resource, { ownerReferences: refs.length > 0 ? refs : undefined }));
  }

  private update(obj: KubernetesObject, resource: ServedResource, metadata: Record<string, unknown>): void {
    const body = { ...obj, metadata: { ...obj.metadata, ...metadata } };
    this.api.update(resource, obj.metadata?.namespace, obj.metadata?.name as string, body, {
      manager: GC_MANAGER,
    });
  }

  /** A write that may lose a race (the object changed or went meanwhile): the next event retries it. */
  private write(action: () => void): void {
    try {
      action();
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }
}
