import { apiVersionOf, type KubernetesObject, type Status } from '@kates/core';
import { readApplyPatch, serverSideApply } from './apply.js';
import { applyBuiltinDefaults } from './builtin-defaults.js';
import { findTypeMismatch } from './builtin-types.js';
import { type SeededRandom, timestamp } from './clock.js';
import { type DeleteOptions, deleteObject } from './deletion.js';
import {
  decodeObject,
  enforceFieldValidation,
  type FieldValidation,
  goValue,
  patchedJson,
  strictBodyError,
  strictPatchError,
  typedPatchError,
  typedPatchTypeError,
} from './field-validation.js';
import { clone, deepEqual, isObject, type JsonObject } from './json.js';
import { withLastApplied } from './last-applied.js';
import { type FieldScope, type ManagedFieldsEntry, trackUpdate } from './managed-fields.js';
import { atVersion, ordered, withRv } from './object-shape.js';
import { PATCH_TYPES, patchObject } from './patch/index.js';
import { CRD_STORAGE, hasStatusSubresource, NAMESPACES_STORAGE, type ServedResource } from './registry.js';
import { ServiceAllocator } from './services/allocator.js';
import { errors, field } from './status.js';
import { type ObjectStore, objectKey } from './store.js';
import { validateObject, validateUpdate } from './validation.js';

/** Who writes and how: the field manager and the options every write takes. */
export interface WriteOptions {
  /** `fieldManager`, or the User-Agent's product name, as the apiserver derives it. */
  readonly manager: string;
  /** `dryRun=All`: validate and answer, but store nothing. */
  readonly dryRun?: boolean;
  /** `status` or `scale` for writes to a subresource. */
  readonly subresource?: 'status' | 'scale';
  /** `?fieldValidation=`: what to do with fields the kind's schema does not declare (default Warn). */
  readonly fieldValidation?: FieldValidation;
  /** Collects the warnings the answer carries (`Warning: 299 - "..."` headers). */
  readonly warnings?: string[];
}

/** Options only PATCH takes. */
export interface ApplyOptions {
  /** `force=true`: server-side apply takes over conflicting fields. */
  readonly force?: boolean;
  /** The `fieldManager` query parameter as sent ('' when absent); apply requires it. */
  readonly fieldManagerParam?: string;
}

/** A write's answer: HTTP code and body. */
export interface WriteResult {
  readonly code: number;
  readonly body: KubernetesObject | Status;
}

/**
 * The REST semantics of the fake API server, independent of HTTP: create, update, patch,
 * apply, delete, with the apiserver's metadata rules (uid, resourceVersion, generation,
 * creationTimestamp, generateName, finalizers, deletionTimestamp, managedFields) and errors.
 */
export class ObjectApi {
  private readonly services: ServiceAllocator;

  constructor(
    private readonly store: ObjectStore,
    private readonly random: SeededRandom,
  ) {
    this.services = new ServiceAllocator(store, random);
  }

  /**
   * A Service's cluster IPs and node ports, allocated (or kept, on update) into `obj.spec`; a 422
   * when they cannot be. Other kinds are left alone.
   */
  private allocate(
    r: ServedResource,
    obj: JsonObject,
    current: KubernetesObject | undefined,
    dryRun: boolean,
  ): void {
    if (r.custom || r.storageKey !== '/services' || !isObject(obj.spec)) return;
    const meta = (obj.metadata ?? {}) as JsonObject;
    const key = objectKey(meta.namespace as string | undefined, String(meta.name ?? ''));
    const causes = this.services.allocate(obj.spec, current as JsonObject | undefined, key, dryRun);
    if (causes.length > 0) throw errors.invalid(r, String(meta.name ?? ''), causes);
  }

  private scope(r: ServedResource, subresource?: string): FieldScope {
    return {
      statusWrite: subresource === 'status',
      statusSubresource: hasStatusSubresource(r),
      builtin: !r.custom,
    };
  }

  get(r: ServedResource, namespace: string | undefined, name: string): KubernetesObject {
    const obj = this.store.get(r.storageKey, objectKey(r.namespaced ? namespace : undefined, name));
    if (!obj) throw errors.notFound(r, name);
    return obj;
  }

  private checkKind(r: ServedResource, body: JsonObject): void {
    const apiVersion = typeof body.apiVersion === 'string' ? body.apiVersion : undefined;
    const kind = typeof body.kind === 'string' ? body.kind : undefined;
    if ((kind && kind !== r.kind) || (apiVersion && apiVersion !== apiVersionOf(r))) {
      throw errors.badRequest(
        `${kind ?? r.kind} in version "${apiVersion ?? apiVersionOf(r)}" cannot be handled as a ` +
          `${r.kind}: the request is for ${apiVersionOf(r)}, Kind=${r.kind}`,
      );
    }
  }

  /** Decodes a request body as the apiserver does: unknown fields refused, warned about or dropped. */
  private decode(r: ServedResource, body: JsonObject, opts: WriteOptions): JsonObject {
    // A value of the wrong type fails the decoding itself, before unknown fields are looked for.
    const mismatch = r.custom || !r.model ? undefined : findTypeMismatch(r.model, body);
    if (mismatch)
      throw errors.badRequest(
        `${r.kind} in version "${r.version}" cannot be handled as a ${r.kind}: ${mismatch.json}`,
      );
    const decoded = decodeObject(r, body, 'document');
    enforceFieldValidation(opts.fieldValidation ?? 'Warn', decoded.unknown, opts.warnings, (list) =>
      strictBodyError(r, list),
    );
    return decoded.object;
  }

  private checkNamespace(r: ServedResource, namespace: string | undefined, name: string): void {
    if (!r.namespaced || !namespace) return;
    const ns = this.store.get(NAMESPACES_STORAGE, namespace);
    if (!ns) throw errors.notFound({ group: '', resource: 'namespaces' }, namespace);
    if (ns.metadata?.deletionTimestamp) {
      throw errors.forbidden(
        `${r.resource} "${name}" is forbidden: unable to create new content in namespace ${namespace} ` +
          'because it is being terminated',
        {
          name,
          kind: r.resource,
          causes: [
            {
              reason: 'NamespaceTerminating',
              message: `namespace ${namespace} is being terminated`,
              field: 'metadata.namespace',
            },
          ],
        },
      );
    }
  }

  /** POST: creates an object (201), or 409 AlreadyExists, 404 for a missing namespace, 422 Invalid. */
  create(
    r: ServedResource,
    namespace: string | undefined,
    body: JsonObject,
    opts: WriteOptions,
    managedFields?: ManagedFieldsEntry[],
  ): WriteResult {
    this.checkKind(r, body);
    body = this.decode(r, body, opts);
    const meta = isObject(body.metadata) ? { ...body.metadata } : {};
    if (r.namespaced) {
      if (meta.namespace && namespace && meta.namespace !== namespace) {
        throw errors.badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      if (!namespace) throw errors.noResource();
      meta.namespace = namespace;
    } else delete meta.namespace;
    if (meta.resourceVersion)
      throw errors.badRequest('resourceVersion should not be set on objects to be created');
    if (!meta.name && typeof meta.generateName === 'string' && meta.generateName) {
      meta.name = `${meta.generateName}${this.random.nameSuffix()}`;
    }
    const name = typeof meta.name === 'string' ? meta.name : '';
    const now = timestamp();
    const obj: JsonObject = { ...clone(body), metadata: meta };
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.managedFields;
    meta.uid = this.random.uuid();
    meta.creationTimestamp = now;
    if (r.generation) meta.generation = 1;
    else delete meta.generation;
    if (hasStatusSubresource(r)) {
      const initial = r.initialStatus?.();
      if (initial) obj.status = initial;
      else delete obj.status;
    }
    this.defaultKind(r, obj);
    applyBuiltinDefaults(r, obj, true);
    const causes = validateObject(r, obj);
    if (causes.length > 0) throw errors.invalid(r, name, causes);
    this.checkNamespace(r, namespace, name);
    // Allocated after validation and, as the registry does it, outside the writer's managedFields.
    const allocated = clone(obj.spec);
    this.allocate(r, { ...obj, spec: allocated }, undefined, opts.dryRun ?? false);
    const key = objectKey(meta.namespace as string | undefined, name);
    if (this.store.get(r.storageKey, key)) throw errors.alreadyExists(r, name);
    meta.managedFields =
      managedFields ?? trackUpdate([], undefined, obj, this.scope(r), this.owner(r, opts, now));
    if (allocated !== undefined) obj.spec = allocated;
    const created = ordered(r, obj);
    // A dry-run create was never stored: like the apiserver's, it answers no resourceVersion.
    if (opts.dryRun) return { code: 201, body: atVersion(r, withRv(created, undefined)) };
    const event = this.store.commit(r.storageKey, key, (rv) => withRv(created, rv));
    return { code: 201, body: atVersion(r, event.object) };
  }

  /** Defaults the apiserver applies that clients rely on. */
  private defaultKind(r: ServedResource, obj: JsonObject): void {
    if (r.storageKey === NAMESPACES_STORAGE) {
      const meta = obj.metadata as JsonObject;
      meta.labels = { ...(meta.labels as object | undefined), 'kubernetes.io/metadata.name': meta.name };
      const spec = isObject(obj.spec) ? obj.spec : {};
      obj.spec = { ...spec, finalizers: Array.isArray(spec.finalizers) ? spec.finalizers : ['kubernetes'] };
    }
    if (r.storageKey === CRD_STORAGE && isObject(obj.spec)) {
      const spec = obj.spec as {
        names?: JsonObject;
        versions?: { name?: string; storage?: boolean }[];
        conversion?: unknown;
      };
      if (isObject(spec.names) && spec.names.kind && !spec.names.listKind)
        spec.names = { ...spec.names, listKind: `${spec.names.kind}List` };
      spec.conversion ??= { strategy: 'None' };
      const storage = (spec.versions ?? []).find((v) => v.storage)?.name;
      obj.status = { acceptedNames: { plural: '', kind: '' }, storedVersions: storage ? [storage] : [] };
    }
  }

  private owner(r: ServedResource, opts: WriteOptions, time: string) {
    return {
      manager: opts.manager,
      apiVersion: apiVersionOf(r),
      time,
      ...(opts.subresource ? { subresource: opts.subresource } : {}),
    };
  }

  /** PUT: replaces an object (or its status), honouring `metadata.resourceVersion` as a precondition. */
  update(
    r: ServedResource,
    namespace: string | undefined,
    name: string,
    body: JsonObject,
    opts: WriteOptions,
  ): WriteResult {
    this.checkKind(r, body);
    body = this.decode(r, body, opts);
    const meta = isObject(body.metadata) ? body.metadata : {};
    if (meta.name !== undefined && meta.name !== name) {
      throw errors.badRequest(
        `the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`,
      );
    }
    if (r.namespaced && meta.namespace && meta.namespace !== namespace) {
      throw errors.badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    const current = this.get(r, namespace, name);
    return this.replace(r, current, body, opts);
  }

  /**
   * The common tail of update, patch and subresource writes: preconditions, subresource rules,
   * validation, no-op, commit. `managedFields`, when given, replaces the tracking of this write.
   */
  replace(
    r: ServedResource,
    current: KubernetesObject,
    body: JsonObject,
    opts: WriteOptions,
    managedFields?: ManagedFieldsEntry[],
  ): WriteResult {
    const name = current.metadata?.name as string;
    const wanted = (body.metadata as JsonObject | undefined)?.resourceVersion;
    if (wanted && wanted !== current.metadata?.resourceVersion) throw errors.modified(r, name);
    const next = this.prepareUpdate(r, current, body, opts.subresource);
    if (!opts.subresource) {
      applyBuiltinDefaults(r, next);
      this.allocate(r, next, current, opts.dryRun ?? false);
    }
    const causes = validateUpdate(r, next, current);
    if (causes.length > 0) throw errors.invalid(r, name, causes);
    const now = timestamp();
    // A write that sets managedFields starts from them, as the apiserver's field manager does
    // (kubectl's upgrade from client-side to server-side apply rewrites them with a JSON patch);
    // one that leaves them out or empty keeps the stored ones. [{}] clears them.
    const given = (next.metadata as JsonObject).managedFields;
    const base =
      !opts.subresource && Array.isArray(given) && given.length > 0 ? given : current.metadata?.managedFields;
    (next.metadata as JsonObject).managedFields =
      managedFields ??
      trackUpdate(
        (base ?? []) as ManagedFieldsEntry[],
        current as JsonObject,
        next,
        this.scope(r, opts.subresource),
        this.owner(r, opts, now),
      );
    if (r.generation && specChanged(r, current, next))
      (next.metadata as JsonObject).generation = (current.metadata?.generation ?? 0) + 1;
    const updated = ordered(r, next);
    const { resourceVersion: _, ...currentMeta } = current.metadata ?? {};
    const { resourceVersion: __, ...updatedMeta } = updated.metadata ?? {};
    if (deepEqual({ ...current, metadata: currentMeta }, { ...updated, metadata: updatedMeta })) {
      return { code: 200, body: atVersion(r, current) };
    }
    const key = objectKey(current.metadata?.namespace, name);
    const finalized =
      current.metadata?.deletionTimestamp &&
      (updated.metadata?.finalizers ?? []).length === 0 &&
      !this.hasSpecFinalizers(r, updated);
    // A dry-run update was never stored: it answers at the resourceVersion the object still has.
    if (opts.dryRun)
      return { code: 200, body: atVersion(r, withRv(updated, current.metadata?.resourceVersion)) };
    if (finalized) {
      // The apiserver deletes instead of writing: the response is the update with the old
      // resourceVersion, the DELETED event carries the last stored state.
      this.store.commit(r.storageKey, key, () => undefined);
      return { code: 200, body: atVersion(r, withRv(updated, current.metadata?.resourceVersion)) };
    }
    const event = this.store.commit(r.storageKey, key, (rv) => withRv(updated, rv));
    return { code: 200, body: atVersion(r, event.object) };
  }

  private hasSpecFinalizers(r: ServedResource, obj: KubernetesObject): boolean {
    return r.storageKey === NAMESPACES_STORAGE && (obj.spec?.finalizers ?? []).length > 0;
  }

  /** What an update may change: the status subresource only `status`; the main resource all but `status`. */
  private prepareUpdate(
    r: ServedResource,
    current: KubernetesObject,
    body: JsonObject,
    subresource?: string,
  ): JsonObject {
    let next: JsonObject;
    if (subresource === 'status') {
      next = clone(current) as JsonObject;
      if (body.status === undefined) delete next.status;
      else next.status = clone(body.status);
    } else {
      next = clone(body);
      if (hasStatusSubresource(r)) {
        if (current.status === undefined) delete next.status;
        else next.status = clone(current.status);
      }
      if (r.storageKey === NAMESPACES_STORAGE) next.spec = clone(current.spec);
    }
    const meta: JsonObject = isObject(next.metadata) ? { ...next.metadata } : {};
    const old = current.metadata ?? {};
    for (const k of [
      'name',
      'namespace',
      'uid',
      'creationTimestamp',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'generation',
      'generateName',
    ] as const) {
      if (old[k] === undefined) delete meta[k];
      else meta[k] = old[k];
    }
    if (r.storageKey === NAMESPACES_STORAGE) {
      meta.labels = { ...(meta.labels as object | undefined), 'kubernetes.io/metadata.name': old.name };
    }
    next.metadata = meta;
    return next;
  }

  /** PATCH with any of the four patch types; apply may create. */
  patch(
    r: ServedResource,
    namespace: string | undefined,
    name: string,
    contentType: string,
    text: string,
    opts: WriteOptions & ApplyOptions,
  ): WriteResult {
    const type = contentType.split(';')[0]?.trim().toLowerCase();
    if (type === PATCH_TYPES.apply) return this.apply(r, namespace, name, text, opts);
    const current = this.get(r, namespace, name);
    const result = patchObject(type ?? '', current, text, r.custom);
    if (!isObject(result)) throw errors.badRequest('the patch did not produce an object');
    const patched = this.decodePatched(r, result, type ?? '', text, opts);
    const meta = isObject(patched.metadata) ? patched.metadata : {};
    if (meta.name !== name) {
      throw errors.badRequest(
        `the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`,
      );
    }
    // A patch that leaves resourceVersion as it was is not a precondition; one that sets it is.
    const body =
      meta.resourceVersion === current.metadata?.resourceVersion
        ? { ...patched, metadata: { ...meta, resourceVersion: undefined } }
        : patched;
    return this.replace(r, current, body, opts);
  }

  /** Decodes a patch's result: unknown fields are checked on the patched object, as the apiserver's patcher does. */
  private decodePatched(
    r: ServedResource,
    patched: JsonObject,
    type: string,
    text: string,
    opts: WriteOptions,
  ): JsonObject {
    const mismatch = r.custom || !r.model ? undefined : findTypeMismatch(r.model, patched);
    if (mismatch) {
      // A strategic merge patch is applied to the typed object (the converter's words, the patch
      // shown as a Go map); merge and JSON patches are decoded from the patched JSON.
      const strategic = type === PATCH_TYPES.strategic;
      throw errors.invalid({ group: '', kind: '' }, '', [
        field.invalid(
          'patch',
          strategic ? goValue(JSON.parse(text)) : patchedJson(patched, false),
          strategic ? mismatch.convert : mismatch.json,
        ),
      ]);
    }
    const decoded = decodeObject(r, patched, 'sorted');
    enforceFieldValidation(opts.fieldValidation ?? 'Warn', decoded.unknown, opts.warnings, (list) =>
      strictPatchError(
        type === PATCH_TYPES.strategic ? goValue(JSON.parse(text)) : patchedJson(patched, r.custom),
        list,
      ),
    );
    return decoded.object;
  }

  private apply(
    r: ServedResource,
    namespace: string | undefined,
    name: string,
    text: string,
    opts: WriteOptions & ApplyOptions,
  ): WriteResult {
    const config = readApplyPatch(text, opts, {
      apiVersion: apiVersionOf(r),
      kind: r.kind,
      what: 'this resource',
    });
    const meta = isObject(config.metadata) ? config.metadata : {};
    if (meta.name !== undefined && meta.name !== name) {
      throw errors.badRequest(
        `the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`,
      );
    }
    // The typed patch cannot hold undeclared fields, whatever fieldValidation says.
    const declared = decodeObject(r, config, 'document');
    if (declared.unknown.length > 0) throw typedPatchError(r, config, declared.unknown);
    const mismatch = r.custom || !r.model ? undefined : findTypeMismatch(r.model, config);
    if (mismatch) throw typedPatchTypeError(r, config, mismatch);
    const current = this.store.get(r.storageKey, objectKey(r.namespaced ? namespace : undefined, name));
    const now = timestamp();
    const result = serverSideApply({
      live: current as JsonObject | undefined,
      config,
      manager: opts.manager,
      force: opts.force ?? false,
      apiVersion: apiVersionOf(r),
      time: now,
      scope: this.scope(r, opts.subresource),
      ...(opts.subresource ? { subresource: opts.subresource } : {}),
    });
    const applied = opts.subresource ? result.object : withLastApplied(result.object, config, opts.manager);
    if (!current) {
      if (opts.subresource) throw errors.notFound(r, name);
      const body = {
        ...applied,
        apiVersion: config.apiVersion,
        kind: config.kind,
        metadata: { ...(applied.metadata as JsonObject | undefined), name },
      };
      return this.create(r, namespace, body, opts, result.managedFields);
    }
    const body = {
      ...decodeObject(r, applied, 'document').object,
      metadata: { ...(applied.metadata as JsonObject), resourceVersion: undefined },
    };
    return this.replace(r, current, body, opts, result.managedFields);
  }

  /**
   * DELETE: with finalizers the object is marked (deletionTimestamp, generation bumped) and kept;
   * otherwise it goes. `propagationPolicy` Foreground or Orphan adds the garbage collector's
   * finalizer (`foregroundDeletion`, `orphan`), so such a delete always marks first.
   * Preconditions (uid, resourceVersion) answer 409 as the apiserver does.
   */
  delete(
    r: ServedResource,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions,
    dryRun = false,
  ): WriteResult {
    const current = this.get(r, namespace, name);
    const pre = options.preconditions ?? {};
    if (pre.uid && pre.uid !== current.metadata?.uid) {
      throw errors.preconditionFailed(
        r,
        name,
        `the UID in the precondition (${pre.uid}) does not match the UID in record ` +
          `(${current.metadata?.uid}). The object might have been deleted and then recreated`,
      );
    }
    if (pre.resourceVersion && pre.resourceVersion !== current.metadata?.resourceVersion) {
      throw errors.preconditionFailed(
        r,
        name,
        `the ResourceVersion in the precondition (${pre.resourceVersion}) does not ` +
          `match the ResourceVersion in record (${current.metadata?.resourceVersion}). The object might have been modified`,
      );
    }
    return deleteObject(this.store, r, current, options, dryRun);
  }
}

export type { DeleteOptions } from './deletion.js';
export { CRD_STORAGE } from './registry.js';
/** The manager name of writes with no fieldManager and no User-Agent. */
export const DEFAULT_MANAGER = 'unknown';
/** The manager of the fake's own controllers (namespace and CRD cleanup, seeding). */
export const SYSTEM_MANAGER = 'kates-fake-apiserver';

/** Whether anything but metadata and status changed: what bumps `metadata.generation`. */
function specChanged(r: ServedResource, a: KubernetesObject, b: KubernetesObject): boolean {
  const withStatus = !hasStatusSubresource(r);
  const strip = ({ metadata: _m, status, apiVersion: _a, kind: _k, ...rest }: KubernetesObject) =>
    withStatus ? { ...rest, status } : rest;
  return !deepEqual(strip(a), strip(b));
}
