import { type Client, InvalidInputError, isConflict, isNotFound, type KubernetesObject } from '@kates/core';

/** The client calls the finalizer helpers make. */
export type FinalizerClient = Pick<Client, 'get' | 'patch'>;

/** Options of the finalizer helpers. */
export interface FinalizerOptions {
  /** Attempts after a 409 Conflict (the object changed since it was read); default 5. */
  readonly retries?: number;
  readonly signal?: AbortSignal;
}

const QUALIFIED =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

function checkFinalizer(finalizer: string): void {
  if (typeof finalizer !== 'string' || !QUALIFIED.test(finalizer) || !finalizer.includes('/')) {
    throw new InvalidInputError(
      `finalizer ${JSON.stringify(finalizer)} is not valid: use a domain-qualified name such as ` +
        '"example.com/cleanup" (the API server warns about names without a domain, and they collide)',
      'finalizer',
      'finalizer',
    );
  }
}

function describe(obj: KubernetesObject): string {
  const ns = obj.metadata?.namespace;
  return `${obj.kind ?? 'object'} ${ns ? `${ns}/` : ''}${obj.metadata?.name ?? '<unnamed>'}`;
}

/** Whether `obj` carries `finalizer`. */
export function hasFinalizer(obj: KubernetesObject, finalizer: string): boolean {
  return (obj?.metadata?.finalizers ?? []).includes(finalizer);
}

/** Whether `obj` is being deleted (its `deletionTimestamp` is set; finalizers hold it). */
export function isDeleting(obj: KubernetesObject): boolean {
  return !!obj?.metadata?.deletionTimestamp;
}

/**
 * Writes `change(finalizers)` as a merge patch that carries the resourceVersion read, so that the
 * API server refuses it (409) if the object changed meanwhile: the list is replaced whole, which is
 * safe only under that guard. On a conflict it reads the object again and retries.
 *
 * @returns the object as written, the object as read when there was nothing to change, or
 *   undefined when the object is gone.
 */
async function patchFinalizers<T extends KubernetesObject>(
  client: FinalizerClient,
  obj: T,
  verb: string,
  change: (current: T) => string[] | undefined,
  options: FinalizerOptions,
): Promise<T | undefined> {
  const retries = options.retries ?? 5;
  let current: T = obj;
  for (let attempt = 0; ; attempt++) {
    const next = change(current);
    if (!next) return current;
    const resourceVersion = current.metadata?.resourceVersion;
    if (!resourceVersion) {
      throw new InvalidInputError(
        `${verb}: ${describe(current)} has no metadata.resourceVersion; pass the object as read from the ` +
          'API server or a snapshot, so that the write can be guarded against concurrent changes',
        verb,
        'metadata.resourceVersion',
      );
    }
    try {
      return (await client.patch(
        current,
        { metadata: { resourceVersion, finalizers: next.length > 0 ? next : null } },
        { type: 'merge', signal: options.signal },
      )) as T;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      if (!isConflict(e) || attempt >= retries) throw e;
      try {
        current = (await client.get(
          `${current.apiVersion}/${current.kind}`,
          current.metadata?.name as string,
          {
            namespace: current.metadata?.namespace,
            signal: options.signal,
          },
        )) as T;
      } catch (readError) {
        if (isNotFound(readError)) return undefined;
        throw readError;
      }
    }
  }
}

/**
 * Adds `finalizer` to `obj`, guarded by its resourceVersion (retried on conflict). Does nothing
 * when it is there already. Refuses an object being deleted (the API server allows no new
 * finalizer then); one found being deleted after a conflict is returned as read, without it.
 *
 * @returns the object (with the finalizer unless being deleted), or undefined when it is gone.
 */
export async function addFinalizer<T extends KubernetesObject>(
  client: FinalizerClient,
  obj: T,
  finalizer: string,
  options: FinalizerOptions = {},
): Promise<T | undefined> {
  checkFinalizer(finalizer);
  if (isDeleting(obj) && !hasFinalizer(obj, finalizer)) {
    throw new InvalidInputError(
      `addFinalizer: ${describe(obj)} is being deleted; the API server accepts no new finalizer then`,
      'addFinalizer',
      'metadata.finalizers',
    );
  }
  return patchFinalizers(
    client,
    obj,
    'addFinalizer',
    // Found being deleted on a re-read after a conflict: nothing to add; the caller sees why.
    (current) =>
      hasFinalizer(current, finalizer) || isDeleting(current)
        ? undefined
        : [...(current.metadata?.finalizers ?? []), finalizer],
    options,
  );
}

/**
 * Removes `finalizer` from `obj`, guarded by its resourceVersion (retried on conflict). When it
 * was the last finalizer of an object being deleted, the API server deletes the object.
 *
 * @returns the object as written (or as read, if the finalizer was already gone), or undefined
 *   when the object is gone.
 */
export async function removeFinalizer<T extends KubernetesObject>(
  client: FinalizerClient,
  obj: T,
  finalizer: string,
  options: FinalizerOptions = {},
): Promise<T | undefined> {
  checkFinalizer(finalizer);
  return patchFinalizers(
    client,
    obj,
    'removeFinalizer',
    (current) =>
      hasFinalizer(current, finalizer)
        ? (current.metadata?.finalizers ?? []).filter((f: string) => f !== finalizer)
        : undefined,
    options,
  );
}

/** What {@link withFinalizer} runs. */
export interface FinalizerHandlers<T extends KubernetesObject, R> {
  /** Brings the object to its desired state; runs only once the finalizer is on it. */
  apply(obj: T): R | Promise<R>;
  /**
   * Releases what the object held outside Kubernetes (it may run again after a failure or a
   * restart: make it idempotent). Throwing keeps the finalizer, so the object stays until it succeeds.
   */
  cleanup(obj: T): void | Promise<void>;
}

/**
 * Finalizers done right, as kube-rs' `finalizer()`: the finalizer is added before `apply` acts
 * (so nothing is created that a deletion could leak), `cleanup` runs once the object is being
 * deleted, and the finalizer is removed only after cleanup succeeded. Every write is guarded by
 * resourceVersion and retried on conflict. Objects being deleted without this finalizer are left
 * alone.
 *
 * @returns what `apply` returned, or undefined when the object was being deleted (or is gone).
 */
export async function withFinalizer<T extends KubernetesObject, R>(
  client: FinalizerClient,
  obj: T,
  finalizer: string,
  handlers: FinalizerHandlers<T, R>,
  options: FinalizerOptions = {},
): Promise<R | undefined> {
  checkFinalizer(finalizer);
  if (isDeleting(obj)) {
    if (!hasFinalizer(obj, finalizer)) return undefined;
    await handlers.cleanup(obj);
    await removeFinalizer(client, obj, finalizer, options);
    return undefined;
  }
  const guarded = await addFinalizer(client, obj, finalizer, options);
  if (!guarded) return undefined;
  // Deleted between the read and the add: the next reconcile sees it being deleted.
  if (isDeleting(guarded)) return undefined;
  return handlers.apply(guarded);
}
