import { apiVersionOf, collectionPath, objectPath, type ResourceType } from '../discovery/types.js';
import { InvalidInputError } from '../errors/invalid-input.js';
import type { KubernetesObject, Status } from '../model/object.js';
import type { Transport } from '../transport/types.js';
import { resourceName, send } from './request.js';
import { kindName, stamp, type Target } from './target.js';
import type {
  ApplyOptions,
  DeleteOptions,
  DeleteResult,
  PatchOptions,
  PatchType,
  WriteOptions,
} from './types.js';

/**
 * The write verbs as single requests, without retries and without telling the store: the
 * {@link Client} adds that, once per call, so `upsert` and `modify` count as one write.
 */

function writeQuery(opts: WriteOptions | undefined, fieldManager?: string) {
  return {
    dryRun: opts?.dryRun ? 'All' : undefined,
    fieldManager: opts?.fieldManager ?? fieldManager,
    fieldValidation: opts?.fieldValidation,
  };
}

/** POST to the collection; `generateName` is honoured when there is no name. */
export async function createObject<T extends KubernetesObject>(
  transport: Transport,
  rt: ResourceType,
  obj: T,
  namespace: string | undefined,
  opts?: WriteOptions,
): Promise<T> {
  const name = obj.metadata?.name;
  if (!name && !obj.metadata?.generateName) {
    throw new InvalidInputError(
      `create ${kindName(rt)}: metadata.name is required (or metadata.generateName, for a ` +
        'name the API server completes)',
      'create',
      'metadata.name',
    );
  }
  const created = await send<T>(
    transport,
    {
      method: 'POST',
      path: collectionPath(rt, namespace),
      body: JSON.stringify(obj),
      query: writeQuery(opts),
      signal: opts?.signal,
    },
    { verb: 'create', rt, name: name ?? obj.metadata?.generateName, namespace },
  );
  return stamp(created, rt);
}

/** PUT the object, or its status subresource. */
export async function updateObject<T extends KubernetesObject>(
  transport: Transport,
  target: Target,
  obj: T,
  verb: 'update' | 'updateStatus',
  opts?: WriteOptions,
): Promise<T> {
  const { rt, name, namespace } = target;
  if (verb === 'updateStatus' && !rt.subresources?.includes('status')) {
    throw new InvalidInputError(
      `updateStatus ${kindName(rt)}: ${resourceName(rt)} has no status subresource; use ` +
        'update() to write the whole object',
      verb,
      'status',
    );
  }
  const updated = await send<T>(
    transport,
    {
      method: 'PUT',
      path: objectPath(rt, name, namespace, verb === 'updateStatus' ? 'status' : undefined),
      body: JSON.stringify(obj),
      query: writeQuery(opts),
      signal: opts?.signal,
    },
    { verb, rt, name, namespace },
  );
  return stamp(updated, rt);
}

const PATCH_CONTENT_TYPES: Readonly<Record<PatchType, string>> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

/** PATCH with a merge, JSON or strategic merge patch. */
export async function patchObject<T extends KubernetesObject>(
  transport: Transport,
  target: Target,
  patch: unknown,
  opts?: PatchOptions,
): Promise<T> {
  const { rt, name, namespace } = target;
  const type = opts?.type ?? 'merge';
  const contentType = PATCH_CONTENT_TYPES[type];
  if (!contentType) {
    throw new InvalidInputError(
      `patch ${kindName(rt)} "${name}": unknown patch type "${type}"; use "merge", "json" or ` +
        '"strategic"',
      'patch',
      'type',
    );
  }
  if (type === 'json' && typeof patch !== 'string' && !Array.isArray(patch)) {
    throw new InvalidInputError(
      `patch ${kindName(rt)} "${name}": a JSON patch is an array of operations such as ` +
        '[{ "op": "replace", "path": "/spec/replicas", "value": 3 }]',
      'patch',
      'patch',
    );
  }
  const patched = await send<T>(
    transport,
    {
      method: 'PATCH',
      path: objectPath(rt, name, namespace, opts?.subresource),
      contentType,
      body: typeof patch === 'string' ? patch : JSON.stringify(patch),
      query: writeQuery(opts),
      signal: opts?.signal,
    },
    { verb: 'patch', rt, name, namespace },
  );
  return stamp(patched, rt);
}

/** Server-side apply: PATCH with `application/apply-patch+yaml` (JSON is YAML). */
export async function applyObject<T extends KubernetesObject>(
  transport: Transport,
  target: Target,
  obj: T,
  opts: ApplyOptions | undefined,
  defaultFieldManager: string,
): Promise<T> {
  const { rt, name, namespace } = target;
  const applied = await send<T>(
    transport,
    {
      method: 'PATCH',
      path: objectPath(rt, name, namespace, opts?.subresource),
      contentType: 'application/apply-patch+yaml',
      body: JSON.stringify(obj),
      query: { ...writeQuery(opts, defaultFieldManager), force: opts?.force ? true : undefined },
      signal: opts?.signal,
    },
    { verb: 'apply', rt, name, namespace },
  );
  return stamp(applied, rt);
}

/**
 * DELETE, with `DeleteOptions` in the body. The API server answers with the object (its final
 * state, or with `deletionTimestamp` set while finalizers or a grace period hold it) or a `Status`.
 */
export async function deleteObject<T extends KubernetesObject>(
  transport: Transport,
  target: Target,
  opts?: DeleteOptions,
): Promise<DeleteResult<T>> {
  const { rt, name, namespace } = target;
  const body = {
    apiVersion: 'v1',
    kind: 'DeleteOptions',
    propagationPolicy: opts?.propagationPolicy,
    preconditions: opts?.preconditions,
    gracePeriodSeconds: opts?.gracePeriodSeconds,
    dryRun: opts?.dryRun ? ['All'] : undefined,
  };
  const answer = await send<T | Status>(
    transport,
    {
      method: 'DELETE',
      path: objectPath(rt, name, namespace),
      body: JSON.stringify(body),
      signal: opts?.signal,
    },
    { verb: 'delete', rt, name, namespace },
  );
  if (answer.kind === 'Status') {
    const uid = target.object?.metadata?.uid ?? (answer as Status).details?.uid;
    const object = {
      apiVersion: apiVersionOf(rt),
      kind: rt.kind,
      metadata: { name, namespace, ...(uid ? { uid } : {}) },
    };
    return { deleted: true, object: object as T };
  }
  const object = stamp(answer as T, rt);
  return { deleted: isDeletedNow(object), object };
}

/**
 * Whether the object a DELETE answered with is gone. Both an object deleted at once and one held
 * by finalizers come back with `deletionTimestamp` set; what tells them apart is whether anything
 * still holds it: finalizers, or a grace period (a pod on a node).
 */
function isDeletedNow(obj: KubernetesObject): boolean {
  const meta = obj.metadata ?? {};
  return !meta.finalizers?.length && !((meta.deletionGracePeriodSeconds ?? 0) > 0);
}
