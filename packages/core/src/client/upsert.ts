import { ApiError } from '../errors/api-error.js';
import { isAlreadyExists, isNotFound } from '../errors/predicates.js';
import type { KubernetesObject } from '../model/object.js';
import type { Transport } from '../transport/types.js';
import { retryOnConflict } from './conflict-retry.js';
import { getObject } from './read.js';
import type { Target } from './target.js';
import type { WriteOptions } from './types.js';
import { createObject, updateObject } from './write.js';

const CONTROL_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'status']);

/**
 * Folds `source` into `target` (a copy of the live object) as Go kates' `MergeUpdate` does:
 * labels and annotations are merged (the source wins on a shared key, other keys stay);
 * `ownerReferences` and `spec` become the source's, and are removed when the source has none.
 *
 * Kinds without a `spec` keep their desired state in top-level fields (a ConfigMap's `data`, a
 * Secret's `data` and `type`, a Role's `rules`). Go kates merges only `spec`, so upserting a
 * ConfigMap there never changes its data; here the top-level fields the source sets replace the
 * live ones. `status` and fields the source does not set stay as they are live.
 */
export function mergeInto<T extends KubernetesObject>(target: T, source: KubernetesObject): T {
  const meta = { ...(target.metadata ?? {}) };
  meta.labels = { ...(target.metadata?.labels ?? {}), ...(source.metadata?.labels ?? {}) };
  meta.annotations = { ...(target.metadata?.annotations ?? {}), ...(source.metadata?.annotations ?? {}) };
  if (source.metadata?.ownerReferences) meta.ownerReferences = source.metadata.ownerReferences;
  else delete meta.ownerReferences;
  const merged: KubernetesObject = { ...target, metadata: meta };
  if ('spec' in source || 'spec' in target) {
    if ('spec' in source) merged.spec = source.spec;
    else delete merged.spec;
  } else {
    for (const [field, value] of Object.entries(source)) {
      if (!CONTROL_FIELDS.has(field)) merged[field] = value;
    }
  }
  return merged as T;
}

/**
 * Go kates' `Upsert`: create the object if it does not exist; otherwise merge it into the live
 * object ({@link mergeInto}) and update that. A 409 (someone wrote in between, or created it first)
 * reads the live object again and merges again, at most `retries` more times; Go kates loops forever.
 * An object that carries a resourceVersion is merged into itself and updated without a read first.
 */
export function upsertObject<T extends KubernetesObject>(
  transport: Transport,
  target: Target,
  obj: T,
  retries: number,
  write: WriteOptions = {},
): Promise<T> {
  const { rt, name, namespace } = target;
  const { signal } = write;
  let live: T | undefined = obj.metadata?.resourceVersion ? obj : undefined;
  return retryOnConflict(
    'upsert',
    retries,
    async () => {
      if (!live) {
        try {
          live = await getObject<T>(transport, rt, name, namespace, signal);
        } catch (e) {
          if (!isNotFound(e)) throw e;
          try {
            return await createObject(transport, rt, obj, namespace, write);
          } catch (created) {
            // Created by someone else since the read: merge into theirs on the next try.
            if (isAlreadyExists(created)) throw asConflict(created);
            throw created;
          }
        }
      }
      const merged = mergeInto(live, obj);
      live = undefined;
      return updateObject(transport, target, merged, 'update', write);
    },
    signal,
  );
}

// An AlreadyExists during upsert is a lost race, retried like a conflict.
function asConflict(e: ApiError): ApiError {
  return new ApiError({ ...e.toInit(), reason: 'Conflict' }, e.message);
}
