import { InvalidInputError, type KubernetesObject } from '@kates/core';

/**
 * The key of an object in a work queue: `namespace/name`, or `name` for a cluster-scoped object
 * (client-go's `MetaNamespaceKeyFunc`, controller-runtime's `NamespacedName`). Names cannot hold a
 * `/`, so a key splits back unambiguously.
 *
 * @throws InvalidInputError when the object has no `metadata.name`.
 */
export function objectKey(obj: KubernetesObject): string {
  const name = obj?.metadata?.name;
  if (!name) {
    throw new InvalidInputError(
      `objectKey: ${obj?.kind ?? 'the object'} has no metadata.name; a work queue key names an object ` +
        'read from the API server (or a snapshot), not a manifest with generateName',
      'objectKey',
      'metadata.name',
    );
  }
  const namespace = obj.metadata?.namespace;
  return namespace ? `${namespace}/${name}` : name;
}

/** A key split into its namespace (absent for cluster-scoped objects) and name. */
export interface KeyParts {
  readonly namespace?: string;
  readonly name: string;
}

/** Splits a key made by {@link objectKey}. */
export function splitKey(key: string): KeyParts {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

// Key -> object, per frozen array. Snapshot fields are frozen and keep their identity while
// unchanged, so a field is indexed once and every later lookup is a Map read.
const indexes = new WeakMap<readonly KubernetesObject[], Map<string, KubernetesObject>>();

/**
 * The object of `key` in a snapshot field, or undefined when it is not there (deleted, or not
 * yet seen). What a per-object reconciler calls first: absent means "clean up".
 */
export function objectByKey<T extends KubernetesObject>(
  items: readonly T[] | undefined,
  key: string,
): T | undefined {
  if (!items) return undefined;
  if (!Object.isFrozen(items)) return items.find((o) => o.metadata?.name && objectKey(o) === key);
  let index = indexes.get(items);
  if (!index) {
    index = new Map();
    for (const o of items) if (o.metadata?.name) index.set(objectKey(o), o);
    indexes.set(items, index);
  }
  return index.get(key) as T | undefined;
}
