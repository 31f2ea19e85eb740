import { apiVersionOf, formatSelector, type KubernetesObject, parseLabelSelector } from '@kates/core';
import { conflictMessage, readApplyPatch } from './apply.js';
import { timestamp } from './clock.js';
import {
  decodeObject,
  enforceFieldValidation,
  type FieldShape,
  goValue,
  patchedJson,
  strictBodyError,
  strictPatchError,
  typedPatchError,
} from './field-validation.js';
import { isObject, type JsonObject } from './json.js';
import type { ManagedFieldsEntry } from './managed-fields.js';
import type { ApplyOptions, ObjectApi, WriteOptions, WriteResult } from './object-api.js';
import { orderedMetadata } from './object-shape.js';
import { PATCH_TYPES, patchObject } from './patch/index.js';
import type { ServedResource } from './registry.js';
import {
  collapse,
  identity,
  REPLICAS,
  SCALE_API_VERSION,
  scaleEntry,
  toParent,
  toSubresource,
} from './scale-managed-fields.js';
import { errors, field } from './status.js';

/** What a Scale body is decoded against. */
const SCALE: FieldShape = {
  group: 'autoscaling',
  version: 'v1',
  kind: 'Scale',
  custom: false,
  model: 'V1Scale',
};

function replicasOf(obj: KubernetesObject): number {
  // Workloads default spec.replicas to 1 (builtin-defaults.ts); an object stored without it reads so too.
  return typeof obj.spec?.replicas === 'number' ? obj.spec.replicas : 1;
}

/** The autoscaling/v1 Scale of a Deployment, ReplicaSet or StatefulSet, as the apiserver derives it. */
export function scaleOf(obj: KubernetesObject): KubernetesObject {
  const meta = obj.metadata ?? {};
  let selector = '';
  try {
    selector = formatSelector(parseLabelSelector(obj.spec?.selector ?? {}));
  } catch {
    // An invalid selector cannot be stored; an unreadable one shows as none.
  }
  return {
    kind: 'Scale',
    apiVersion: SCALE_API_VERSION,
    metadata: orderedMetadata({
      name: meta.name,
      namespace: meta.namespace,
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
      creationTimestamp: meta.creationTimestamp,
    }),
    spec: { replicas: replicasOf(obj) },
    status: {
      replicas: typeof obj.status?.replicas === 'number' ? obj.status.replicas : 0,
      ...(selector ? { selector } : {}),
    },
  };
}

/**
 * The `scale` subresource of Deployments, ReplicaSets and StatefulSets: GET, PUT and PATCH (all
 * four patch types) of an autoscaling/v1 Scale, written through to the parent's `spec.replicas`
 * (bumping its generation), with the apiserver's errors, field validation and managedFields.
 */
export class ScaleSubresource {
  constructor(private readonly api: ObjectApi) {}

  get(r: ServedResource, namespace: string | undefined, name: string): KubernetesObject {
    return scaleOf(this.api.get(r, namespace, name));
  }

  /** PUT: a whole Scale; only `spec.replicas` (and the resourceVersion precondition) is used. */
  update(
    r: ServedResource,
    namespace: string | undefined,
    name: string,
    body: JsonObject,
    opts: WriteOptions,
  ): WriteResult {
    checkScaleKind(body);
    const decoded = decodeObject(SCALE, body, 'document');
    enforceFieldValidation(opts.fieldValidation ?? 'Warn', decoded.unknown, opts.warnings, (list) =>
      strictBodyError(SCALE, list),
    );
    const meta = isObject(body.metadata) ? body.metadata : {};
    if (meta.name === undefined || meta.name === '') {
      throw errors.badRequest(
        `the name of the object (${name} based on URL) was undeterminable: name must be provided`,
      );
    }
    checkName(meta.name, name);
    return this.write(r, this.api.get(r, namespace, name), decoded.object, opts);
  }

  /** PATCH: merge, JSON and strategic merge patches of the Scale; server-side apply of it. */
  patch(
    r: ServedResource,
    namespace: string | undefined,
    name: string,
    contentType: string,
    text: string,
    opts: WriteOptions & ApplyOptions,
  ): WriteResult {
    const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
    if (type === PATCH_TYPES.apply) return this.apply(r, namespace, name, text, opts);
    const current = this.api.get(r, namespace, name);
    const old = scaleOf(current);
    const patched = patchObject(type, old, text, false);
    if (!isObject(patched)) throw errors.badRequest('the patch did not produce an object');
    const decoded = decodeObject(SCALE, patched, 'sorted');
    enforceFieldValidation(opts.fieldValidation ?? 'Warn', decoded.unknown, opts.warnings, (list) =>
      strictPatchError(
        type === PATCH_TYPES.strategic ? goValue(JSON.parse(text)) : patchedJson(patched, false),
        list,
      ),
    );
    const meta = isObject(patched.metadata) ? patched.metadata : {};
    checkName(meta.name, name);
    return this.write(r, current, decoded.object, opts);
  }

  private write(
    r: ServedResource,
    current: KubernetesObject,
    scale: JsonObject,
    opts: WriteOptions,
  ): WriteResult {
    const name = current.metadata?.name as string;
    const meta = isObject(scale.metadata) ? scale.metadata : {};
    const spec = isObject(scale.spec) ? scale.spec : {};
    // Scale.spec.replicas is a plain int32: left out, it is 0.
    const replicas = typeof spec.replicas === 'number' ? spec.replicas : 0;
    if (replicas < 0) {
      throw errors.invalid({ group: 'autoscaling', kind: 'Scale' }, name, [
        field.invalid('spec.replicas', replicas, 'must be greater than or equal to 0'),
      ]);
    }
    if (meta.uid && meta.uid !== current.metadata?.uid) {
      throw errors.conflict(
        r,
        name,
        `StorageError: invalid object, Code: 4, Key: /registry/${r.resource}/${current.metadata?.namespace}/${name}, ` +
          `ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: ${String(meta.uid)}, ` +
          `UID in object meta: ${current.metadata?.uid}`,
      );
    }
    const parent = collapse((current.metadata?.managedFields ?? []) as ManagedFieldsEntry[]);
    let owners = toSubresource(parent, apiVersionOf(r));
    // The apiserver tracks no Update of an object whose managedFields are empty: with no owner of
    // replicas, a Scale write records none either.
    if (owners.length > 0 && replicas !== replicasOf(current)) {
      // The writer takes replicas; the others, owning nothing else in the Scale, drop out.
      owners = [scaleEntry(opts.manager, 'Update', timestamp())];
    }
    const managedFields = toParent(parent, owners, apiVersionOf(r));
    return this.commit(
      r,
      current,
      replicas,
      (meta.resourceVersion as string | undefined) || undefined,
      opts,
      managedFields,
    );
  }

  private commit(
    r: ServedResource,
    current: KubernetesObject,
    replicas: number,
    resourceVersion: string | undefined,
    opts: WriteOptions,
    managedFields: ManagedFieldsEntry[],
  ): WriteResult {
    const next: JsonObject = {
      ...current,
      metadata: {
        ...current.metadata,
        resourceVersion: resourceVersion ?? current.metadata?.resourceVersion,
      },
      spec: { ...current.spec, replicas },
    };
    const result = this.api.replace(r, current, next, { ...opts, subresource: 'scale' }, managedFields);
    return { code: result.code, body: scaleOf(result.body as KubernetesObject) };
  }

  private apply(
    r: ServedResource,
    namespace: string | undefined,
    name: string,
    text: string,
    opts: WriteOptions & ApplyOptions,
  ): WriteResult {
    const config = readApplyPatch(text, opts, {
      apiVersion: SCALE_API_VERSION,
      kind: 'Scale',
      what: 'the scale subresource',
    });
    checkName((config.metadata as JsonObject | undefined)?.name, name);
    const declared = decodeObject(SCALE, config, 'document');
    if (declared.unknown.length > 0) throw typedPatchError(SCALE, config, declared.unknown);
    const current = this.api.get(r, namespace, name);
    const wanted = (config.spec as JsonObject | undefined)?.replicas;
    if (typeof wanted !== 'number') return { code: 200, body: scaleOf(current) };
    const parent = collapse((current.metadata?.managedFields ?? []) as ManagedFieldsEntry[]);
    const mine = scaleEntry(opts.manager, 'Apply', timestamp());
    const others = toSubresource(parent, apiVersionOf(r)).filter((e) => identity(e) !== identity(mine));
    const differs = wanted !== replicasOf(current);
    if (differs && others.length > 0 && !opts.force) {
      const [message, causes] = conflictMessage(others.map((entry) => ({ entry, path: REPLICAS })));
      throw errors.applyConflict(message, causes);
    }
    // An equal value is owned together; a changed one is taken over.
    const owners = differs ? [mine] : [...others, mine];
    const managedFields = toParent(parent, owners, apiVersionOf(r));
    return this.commit(r, current, wanted, undefined, opts, managedFields);
  }
}

function checkScaleKind(body: JsonObject): void {
  const kind = typeof body.kind === 'string' ? body.kind : undefined;
  const apiVersion = typeof body.apiVersion === 'string' ? body.apiVersion : undefined;
  if ((kind && kind !== 'Scale') || (apiVersion && apiVersion !== SCALE_API_VERSION)) {
    const version = (apiVersion ?? SCALE_API_VERSION).split('/').pop();
    throw errors.badRequest(
      `${kind ?? 'Scale'} in version "${version}" cannot be handled as a Scale: converting ` +
        `(${version}.${kind ?? 'Scale'}) to (autoscaling.Scale): unknown conversion`,
    );
  }
}

function checkName(given: unknown, name: string): void {
  if (given !== undefined && given !== name) {
    throw errors.badRequest(
      `the name of the object (${String(given)}) does not match the name on the URL (${name})`,
    );
  }
}
