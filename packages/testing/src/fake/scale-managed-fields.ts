import {
  entrySet,
  type ManagedFieldsEntry,
  removePath,
  sortManagedFields,
  toFieldsV1,
} from './managed-fields.js';

/**
 * managedFields across the scale subresource, as kube-apiserver's ScaleHandler moves them: the
 * parent's owners of `.spec.replicas` become the Scale's owners, the write is tracked on the
 * Scale, and the result is merged back into the parent.
 */

/** The Scale's apiVersion. */
export const SCALE_API_VERSION = 'autoscaling/v1';
/** `.spec.replicas`, in the parent and in the Scale alike. */
export const REPLICAS = ['f:spec', 'f:replicas'];
const REPLICAS_FIELDS = { 'f:spec': { 'f:replicas': {} } };

/**
 * A manager's identity in managedFields: Update entries are told apart by apiVersion too, Apply
 * entries are not (k8s.io/apiserver's BuildManagerIdentifier).
 */
export function identity(e: ManagedFieldsEntry): string {
  return JSON.stringify([
    e.manager,
    e.operation,
    e.operation === 'Update' ? e.apiVersion : '',
    e.subresource ?? '',
  ]);
}

/** Entries with the same identity collapse when the apiserver decodes them: the later one wins. */
export function collapse(entries: readonly ManagedFieldsEntry[]): ManagedFieldsEntry[] {
  const byIdentity = new Map<string, ManagedFieldsEntry>();
  for (const e of entries) {
    byIdentity.delete(identity(e));
    byIdentity.set(identity(e), e);
  }
  return [...byIdentity.values()];
}

/**
 * The parent's entries that own `.spec.replicas`, as the Scale sees them (the apiserver's
 * ScaleHandler.ToSubresource): only replicas, at autoscaling/v1 (which changes an Update
 * entry's identity).
 */
export function toSubresource(
  parent: readonly ManagedFieldsEntry[],
  parentApiVersion: string,
): ManagedFieldsEntry[] {
  return parent
    .filter((e) => e.apiVersion === parentApiVersion && ownsReplicas(e))
    .map((e) => ({ ...e, apiVersion: SCALE_API_VERSION, fieldsV1: REPLICAS_FIELDS }));
}

/**
 * Merges the Scale's entries back into the parent's (ScaleHandler.ToParent): a parent entry keeps
 * replicas only when the Scale has an entry of the same identity, otherwise it loses them; each
 * Scale entry left that owns replicas becomes a parent entry without a time. Because Update
 * identities differ by apiVersion, even an unchanged Scale moves replicas into such a time-less
 * entry (a duplicate of its owner, which the next write collapses), exactly as kube-apiserver does.
 */
export function toParent(
  parent: readonly ManagedFieldsEntry[],
  scale: readonly ManagedFieldsEntry[],
  parentApiVersion: string,
): ManagedFieldsEntry[] {
  const left = new Map(scale.map((e) => [identity(e), e]));
  const out: ManagedFieldsEntry[] = [];
  for (const e of parent) {
    if (e.apiVersion !== parentApiVersion) continue;
    if (!ownsReplicas(e) || left.delete(identity(e))) {
      out.push(e);
      continue;
    }
    const set = entrySet(e);
    removePath(set, REPLICAS);
    if (set.size > 0) out.push({ ...e, fieldsV1: toFieldsV1(set) });
  }
  for (const e of left.values()) {
    out.push({
      manager: e.manager,
      operation: e.operation,
      apiVersion: parentApiVersion,
      fieldsType: 'FieldsV1',
      fieldsV1: REPLICAS_FIELDS,
      ...(e.subresource ? { subresource: e.subresource } : {}),
    });
  }
  return sortManagedFields(out);
}

/** The Scale's entry of this write's manager. */
export function scaleEntry(manager: string, operation: 'Apply' | 'Update', time: string): ManagedFieldsEntry {
  return {
    manager,
    operation,
    apiVersion: SCALE_API_VERSION,
    time,
    fieldsType: 'FieldsV1',
    fieldsV1: REPLICAS_FIELDS,
    subresource: 'scale',
  };
}

function ownsReplicas(e: ManagedFieldsEntry): boolean {
  return entrySet(e).get('f:spec')?.has('f:replicas') ?? false;
}
