import { InvalidInputError } from '../errors/invalid-input.js';
import { type KubernetesObject, nameOf, type OwnerReference } from '../model/object.js';

/** Options of {@link ownerReferenceTo} and {@link setOwnerReference}. */
export interface OwnerReferenceOptions {
  /** Mark the owner as the managing controller (default true), as `metav1.NewControllerRef` does. */
  readonly controller?: boolean;
  /** Keep the owner from being deleted in foreground before this object (default true). */
  readonly blockOwnerDeletion?: boolean;
}

function describe(obj: KubernetesObject): string {
  return `${obj.kind ?? 'object'} ${nameOf(obj)}`;
}

/**
 * An owner reference to `owner`, as read from the API server: it needs `apiVersion`, `kind`,
 * `metadata.name` and `metadata.uid`, which a created object has and a manifest does not.
 *
 * @throws InvalidInputError naming the owner and the missing field.
 */
export function ownerReferenceTo(
  owner: KubernetesObject,
  options: OwnerReferenceOptions = {},
): OwnerReference {
  const { apiVersion, kind } = owner ?? {};
  const name = owner?.metadata?.name;
  const uid = owner?.metadata?.uid;
  const missing = !apiVersion
    ? 'apiVersion'
    : !kind
      ? 'kind'
      : !name
        ? 'metadata.name'
        : !uid
          ? 'metadata.uid'
          : '';
  if (missing) {
    throw new InvalidInputError(
      `setOwnerReference: the owner ${describe(owner ?? {})} has no ${missing}; an owner ` +
        'must be an object read from the API server (create or get it first, then set the reference)',
      'setOwnerReference',
      missing,
    );
  }
  return {
    apiVersion: apiVersion as string,
    kind: kind as string,
    name: name as string,
    uid: uid as string,
    controller: options.controller ?? true,
    blockOwnerDeletion: options.blockOwnerDeletion ?? true,
  };
}

/** Whether `obj` has an owner reference to `owner`, compared by UID (names are reused, UIDs are not). */
export function hasOwnerReference(owner: KubernetesObject, obj: KubernetesObject): boolean {
  const uid = owner?.metadata?.uid;
  return !!uid && (obj?.metadata?.ownerReferences ?? []).some((ref) => ref.uid === uid);
}

/** The owner reference of `obj` marked `controller: true`, if any (there is at most one). */
export function controllerOf(obj: KubernetesObject): OwnerReference | undefined {
  return obj?.metadata?.ownerReferences?.find((ref) => ref.controller === true);
}

/**
 * Adds a controller reference to `owner` to each object (Go kates' `SetOwnerReferences`), so that
 * garbage collection deletes them with it. An object that already references the owner is
 * returned as it is: no duplicates.
 *
 * Never mutates: it returns copies, in order, because snapshot objects are frozen. Use the result:
 * `const [cm, svc] = setOwnerReference(deployment, cm0, svc0)`.
 *
 * @throws InvalidInputError when the owner has no UID yet, when an object already has another
 *   controller (Kubernetes allows one), or when a namespaced owner would own an object in another
 *   namespace (the garbage collector would delete it at once).
 */
export function setOwnerReference<T extends KubernetesObject[]>(owner: KubernetesObject, ...objects: T): T;
export function setOwnerReference(
  owner: KubernetesObject,
  ...objects: KubernetesObject[]
): KubernetesObject[] {
  return setOwnerReferenceWith(owner, {}, ...objects);
}

/** {@link setOwnerReference} with options: a non-controller owner, or no deletion blocking. */
export function setOwnerReferenceWith<T extends KubernetesObject[]>(
  owner: KubernetesObject,
  options: OwnerReferenceOptions,
  ...objects: T
): T;
export function setOwnerReferenceWith(
  owner: KubernetesObject,
  options: OwnerReferenceOptions,
  ...objects: KubernetesObject[]
): KubernetesObject[] {
  const ref = ownerReferenceTo(owner, options);
  const ownerNamespace = owner.metadata?.namespace;
  return objects.map((obj) => {
    if (hasOwnerReference(owner, obj)) return obj;
    const namespace = obj.metadata?.namespace;
    if (ownerNamespace && namespace && namespace !== ownerNamespace) {
      throw new InvalidInputError(
        `setOwnerReference: ${describe(owner)} cannot own ${describe(obj)}: a namespaced ` +
          'owner can only own objects in its own namespace (use a cluster-scoped owner, or create the object in ' +
          `namespace "${ownerNamespace}")`,
        'setOwnerReference',
        'metadata.namespace',
      );
    }
    const current = controllerOf(obj);
    if (ref.controller && current) {
      throw new InvalidInputError(
        `setOwnerReference: ${describe(obj)} is already controlled by ${current.kind} ` +
          `${current.name} (uid ${current.uid}); an object has at most one controller: remove that reference, or ` +
          'add this one with setOwnerReferenceWith(owner, { controller: false }, ...)',
        'setOwnerReference',
        'metadata.ownerReferences',
      );
    }
    return {
      ...obj,
      metadata: { ...obj.metadata, ownerReferences: [...(obj.metadata?.ownerReferences ?? []), ref] },
    };
  });
}

/** Options of {@link isOwnedBy} and {@link childrenOf}. */
export interface OwnedByOptions {
  /** Only objects whose controller is the owner (default false: any owner reference counts). */
  readonly controller?: boolean;
}

/**
 * A predicate: does an object have an owner reference to `owner` (by UID)? For `Array.filter` and
 * for the accumulator's `filteredUpdate`.
 */
export function isOwnedBy(
  owner: KubernetesObject,
  options: OwnedByOptions = {},
): (obj: KubernetesObject) => boolean {
  const uid = owner?.metadata?.uid;
  if (!uid) return () => false;
  return options.controller
    ? (obj) => controllerOf(obj)?.uid === uid
    : (obj) => (obj?.metadata?.ownerReferences ?? []).some((ref) => ref.uid === uid);
}

// Owner UID -> children, per frozen array. Snapshot fields are frozen and keep their identity while
// unchanged, so each field is indexed once and every later lookup is a Map read.
type OwnerIndex = Map<string, { any: KubernetesObject[]; controlled: KubernetesObject[] }>;
const indexes = new WeakMap<readonly KubernetesObject[], OwnerIndex>();

function indexOf(items: readonly KubernetesObject[]): OwnerIndex {
  let index = indexes.get(items);
  if (index) return index;
  index = new Map();
  for (const obj of items) {
    const seen = new Set<string>();
    for (const ref of obj?.metadata?.ownerReferences ?? []) {
      if (!ref.uid || seen.has(ref.uid)) continue;
      seen.add(ref.uid);
      let entry = index.get(ref.uid);
      if (!entry) {
        entry = { any: [], controlled: [] };
        index.set(ref.uid, entry);
      }
      entry.any.push(obj);
      if (ref.controller === true) entry.controlled.push(obj);
    }
  }
  indexes.set(items, index);
  return index;
}

/**
 * The children of `owner` (objects with an owner reference to its UID) in a snapshot (all its
 * fields) or in one array, each once, in snapshot order. Frozen arrays, as snapshot fields are,
 * are indexed once, so asking for the children of many owners costs one pass per field.
 */
export function childrenOf<T extends KubernetesObject>(
  owner: KubernetesObject,
  from: readonly T[],
  options?: OwnedByOptions,
): T[];
export function childrenOf(
  owner: KubernetesObject,
  from: { readonly [field: string]: readonly KubernetesObject[] | undefined },
  options?: OwnedByOptions,
): KubernetesObject[];
export function childrenOf<T extends KubernetesObject>(
  owner: KubernetesObject,
  from: readonly T[] | { readonly [field: string]: readonly T[] | undefined },
  options: OwnedByOptions = {},
): T[] {
  const uid = owner?.metadata?.uid;
  if (!uid) return [];
  const fields: readonly (readonly T[] | undefined)[] = Array.isArray(from)
    ? [from as readonly T[]]
    : Object.values(from as Record<string, readonly T[] | undefined>);
  const found: T[] = [];
  const seen = new Set<string>();
  const owned = isOwnedBy(owner, options);
  for (const items of fields) {
    if (!items) continue;
    const candidates = Object.isFrozen(items)
      ? ((indexOf(items).get(uid)?.[options.controller ? 'controlled' : 'any'] ?? []) as T[])
      : items.filter(owned);
    for (const obj of candidates) {
      const key = obj.metadata?.uid ?? `${obj.apiVersion}/${obj.kind}/${nameOf(obj)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push(obj);
    }
  }
  return found;
}
