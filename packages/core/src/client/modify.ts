import type { KubernetesObject } from '../model/object.js';
import type { Transport } from '../transport/types.js';
import { retryOnConflict } from './conflict-retry.js';
import { getObject } from './read.js';
import type { Target } from './target.js';
import type { Modifier, WriteOptions } from './types.js';
import { updateObject } from './write.js';

/**
 * Changes an object by a function. `fn` receives a fresh copy of the live object and either
 * changes it in place or returns the new object. The update carries the resourceVersion read, so a
 * concurrent write makes it fail with 409 Conflict; then the object is read again and `fn` runs
 * again, at most `retries` more times. `fn` must therefore be safe to run more than once.
 *
 * @returns the updated object, and whether an update was sent: when `fn` changes nothing, none is.
 */
export function modifyObject<T extends KubernetesObject>(
  transport: Transport,
  target: Target,
  fn: Modifier<T>,
  retries: number,
  write: WriteOptions = {},
): Promise<{ object: T; written: boolean }> {
  const { rt, name, namespace } = target;
  const { signal } = write;
  return retryOnConflict(
    'modify',
    retries,
    async () => {
      const live = await getObject<T>(transport, rt, name, namespace, signal);
      const before = JSON.stringify(live);
      const changed = (await fn(live)) ?? live;
      if (JSON.stringify(changed) === before) return { object: changed, written: false };
      // Keep optimistic concurrency even when fn built a new object without the resourceVersion.
      const next: T = changed.metadata?.resourceVersion
        ? changed
        : { ...changed, metadata: { ...changed.metadata, resourceVersion: live.metadata?.resourceVersion } };
      return { object: await updateObject(transport, target, next, 'update', write), written: true };
    },
    signal,
  );
}
