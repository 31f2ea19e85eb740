import type { KubernetesObject, Status } from '@kates/core';
import { timestamp } from './clock.js';
import { deletionFinalizers } from './garbage-collector.js';
import { clone, type JsonObject } from './json.js';
import type { WriteResult } from './object-api.js';
import { atVersion, ordered, orderedMetadata, withRv } from './object-shape.js';
import { CRD_STORAGE, NAMESPACES_STORAGE, type ServedResource } from './registry.js';
import { type ObjectStore, objectKey } from './store.js';

/** `DeleteOptions` as the body or query of a DELETE carries them. */
export interface DeleteOptions {
  readonly propagationPolicy?: string;
  /** The deprecated form of `propagationPolicy: Orphan` (true) or the default (false). */
  readonly orphanDependents?: boolean;
  readonly gracePeriodSeconds?: number;
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly dryRun?: string[];
}

const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function crdTerminating(current: KubernetesObject, now: string): JsonObject {
  const status = clone((current.status ?? {}) as JsonObject);
  const conditions = Array.isArray(status.conditions) ? [...status.conditions] : [];
  conditions.push({
    type: 'Terminating',
    status: 'True',
    lastTransitionTime: now,
    reason: 'InstanceDeletionPending',
    message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
  });
  return { ...status, conditions };
}

/** What a DELETE answers for an object it removed: the object (pods, services, namespaces) or a Success Status. */
function deleted(
  r: ServedResource,
  current: KubernetesObject,
  last: KubernetesObject,
): KubernetesObject | Status {
  if (r.deleteReturnsObject) {
    const gone = withRv(last, current.metadata?.resourceVersion);
    return atVersion(r, {
      ...gone,
      metadata: orderedMetadata({
        ...gone.metadata,
        deletionTimestamp: timestamp(),
        deletionGracePeriodSeconds: 0,
      }),
    });
  }
  const [name, uid] = [current.metadata?.name as string, current.metadata?.uid as string];
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: r.group ? { name, group: r.group, kind: r.resource, uid } : { name, kind: r.resource, uid },
  };
}

function commit(store: ObjectStore, r: ServedResource, obj: KubernetesObject, dryRun: boolean): WriteResult {
  if (dryRun) return { code: 200, body: atVersion(r, obj) };
  const key = objectKey(obj.metadata?.namespace, obj.metadata?.name as string);
  const event = store.commit(r.storageKey, key, (rv) => withRv(obj, rv));
  return { code: 200, body: atVersion(r, event.object) };
}

/**
 * The generic registry's delete of an existing object, preconditions checked: an object with
 * finalizers (its own, the garbage collector's for Foreground or Orphan, a CRD's cleanup, a
 * namespace's spec finalizers) is marked (deletionTimestamp, grace period 0, generation bumped)
 * and kept; otherwise it goes. Deleting again writes only when the policy changes the garbage
 * collector's finalizers.
 */
export function deleteObject(
  store: ObjectStore,
  r: ServedResource,
  current: KubernetesObject,
  options: DeleteOptions,
  dryRun: boolean,
): WriteResult {
  const isCrd = r.storageKey === CRD_STORAGE;
  const finalizers = deletionFinalizers(current.metadata?.finalizers ?? [], options);
  if (current.metadata?.deletionTimestamp) {
    if (sameMembers(finalizers, current.metadata.finalizers ?? []))
      return { code: 200, body: atVersion(r, current) };
    const updated = {
      ...(clone(current) as JsonObject),
      metadata: { ...clone(current.metadata), finalizers },
    };
    return commit(store, r, ordered(r, updated), dryRun);
  }
  if (isCrd && !finalizers.includes(CRD_CLEANUP_FINALIZER)) finalizers.push(CRD_CLEANUP_FINALIZER);
  const isNamespace = r.storageKey === NAMESPACES_STORAGE;
  const specFinalizers = isNamespace && (current.spec?.finalizers ?? []).length > 0;
  if (finalizers.length > 0 || specFinalizers) {
    const now = timestamp();
    const meta: JsonObject = { ...clone(current.metadata), deletionTimestamp: now, finalizers };
    // CRDs are marked by their own registry code, without a grace period or a generation bump.
    if (!isCrd) {
      meta.deletionGracePeriodSeconds = 0;
      const generation = current.metadata?.generation ?? 0;
      if (generation > 0) meta.generation = generation + 1;
    }
    if (finalizers.length === 0) delete meta.finalizers;
    const marked: JsonObject = { ...(clone(current) as JsonObject), metadata: meta };
    if (isNamespace) marked.status = { ...(current.status ?? {}), phase: 'Terminating' };
    if (isCrd) marked.status = crdTerminating(current, now);
    return commit(store, r, ordered(r, marked), dryRun);
  }
  if (dryRun) return { code: 200, body: deleted(r, current, current) };
  const key = objectKey(current.metadata?.namespace, current.metadata?.name as string);
  const event = store.commit(r.storageKey, key, () => undefined);
  return { code: 200, body: deleted(r, current, event.object) };
}
