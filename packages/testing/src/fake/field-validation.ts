import type { StructuralSchema } from '@kates/core';
import { type KeyOrder, pruneUnknownFields } from './builtin-schema.js';
import type { TypeMismatch } from './builtin-types.js';
import { isObject, type JsonObject } from './json.js';
import { listTypeAt } from './list-types.js';
import { formatPath } from './managed-fields.js';
import { decodeMicroTimes } from './micro-time.js';
import { type ApiError, errors, field } from './status.js';
import { normalizeCustomObject } from './structural-schema.js';

/**
 * `?fieldValidation=` as kube-apiserver applies it to writes: fields the kind's schema does not
 * declare are refused (`Strict`), dropped with one `Warning` header each (`Warn`, the default), or
 * dropped silently (`Ignore`). Server-side apply refuses them whatever the directive, as its typed
 * patch cannot hold them. Duplicate fields in a body are not detected (JSON.parse keeps the last).
 */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** What a body is decoded against: a built-in kind's model, or a custom resource's schema. */
export interface FieldShape {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly custom: boolean;
  /** client-node's model of a built-in kind (`V1ConfigMap`). */
  readonly model?: string;
  /** The CRD version's `openAPIV3Schema`. */
  readonly schema?: StructuralSchema;
}

/** A decoded body: what is kept, and the fields that were not declared. */
export interface Decoded {
  readonly object: JsonObject;
  readonly unknown: readonly string[];
}

const DIRECTIVES: readonly FieldValidation[] = ['Ignore', 'Strict', 'Warn'];

/** The write's directive from its query; an unknown one answers 422 as the apiserver does. */
export function fieldValidationOf(
  params: URLSearchParams,
  options: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions',
): FieldValidation {
  const value = params.get('fieldValidation') ?? '';
  if (value === '') return 'Warn';
  if ((DIRECTIVES as readonly string[]).includes(value)) return value as FieldValidation;
  throw errors.invalidOptions(options, field.notSupported('fieldValidation', value, ['', ...DIRECTIVES]));
}

/**
 * Decodes an object of `shape`: drops the fields its schema does not declare (and, for custom
 * objects, drops nulls and fills defaults). Built-in kinds report unknown fields in `order`
 * (the body's own for a request body, sorted for a patch result); custom objects always sorted.
 */
export function decodeObject(shape: FieldShape, obj: JsonObject, order: KeyOrder): Decoded {
  if (shape.custom) {
    if (!shape.schema) return { object: obj, unknown: [] };
    return normalizeCustomObject(obj, shape.schema);
  }
  const timed = decodeMicroTimes(shape, obj);
  if (!shape.model) return { object: timed, unknown: [] };
  const pruned = pruneUnknownFields(shape.model, timed, order);
  return { object: pruned.value as JsonObject, unknown: pruned.unknown };
}

/**
 * Applies the directive to what decoding found: throws `strictError()` under Strict, adds one
 * warning per field under Warn (into `warnings`), says nothing under Ignore.
 */
export function enforceFieldValidation(
  directive: FieldValidation,
  unknown: readonly string[],
  warnings: string[] | undefined,
  strictError: (list: string) => ApiError,
): void {
  if (unknown.length === 0) return;
  if (directive === 'Strict') throw strictError(unknown.map((p) => `unknown field "${p}"`).join(', '));
  if (directive === 'Warn') warnings?.push(...unknown.map((p) => `unknown field "${p}"`));
}

/** The 400 of a request body with unknown fields under Strict. */
export function strictBodyError(shape: FieldShape, list: string): ApiError {
  return errors.badRequest(
    `${shape.kind} in version "${shape.version}" cannot be handled as a ${shape.kind}: strict decoding error: ${list}`,
  );
}

/**
 * The 422 of a patch whose result has unknown fields under Strict: the apiserver shows the patched
 * object as JSON (merge and JSON patches) or the patch as a Go map (strategic merge patches).
 */
export function strictPatchError(shown: string, list: string): ApiError {
  return errors.invalid({ group: '', kind: '' }, '', [
    field.invalid('patch', shown, `strict decoding error: ${list}`),
  ]);
}

/** A patched object as the apiserver's patcher marshals it: Go maps sort their keys (all levels for custom objects). */
export function patchedJson(obj: JsonObject, custom: boolean): string {
  const sortKeys = (v: unknown, deep: boolean): unknown => {
    if (Array.isArray(v)) return deep ? v.map((x) => sortKeys(x, deep)) : v;
    if (!isObject(v)) return v;
    const out: JsonObject = {};
    for (const k of Object.keys(v).sort()) out[k] = deep ? sortKeys(v[k], deep) : v[k];
    return out;
  };
  return JSON.stringify(sortKeys(obj, custom));
}

/** A JSON value printed as Go prints a `map[string]interface{}` (`map[a:1 b:map[]]`). */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (isObject(v))
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goValue(v[k])}`)
      .join(' ')}]`;
  return String(v);
}

/** `.spec.template.spec.containers[name="main"].imagee`: a decoder path as server-side apply names it. */
function applyPath(config: JsonObject, path: string, builtin: boolean): string {
  const elements: string[] = [];
  const names: string[] = [];
  let node: unknown = config;
  for (const [, key, index] of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (key !== undefined) {
      elements.push(`f:${key}`);
      names.push(key);
      node = isObject(node) ? node[key] : undefined;
      continue;
    }
    const item: unknown = Array.isArray(node) ? node[Number(index)] : undefined;
    const type = listTypeAt(names, builtin);
    if (type.type === 'map' && isObject(item))
      elements.push(`k:${JSON.stringify(Object.fromEntries(type.keys.map((k) => [k, item[k]])))}`);
    else elements.push(`i:${index}`);
    node = item;
  }
  return formatPath(elements);
}

/**
 * The 500 kube-apiserver answers to an apply configuration with fields its schema lacks. For
 * built-in kinds it names one field (the first met; Go's map order makes the real one vary), for
 * custom resources all of them.
 */
export function typedPatchError(shape: FieldShape, config: JsonObject, unknown: readonly string[]): ApiError {
  const meta = isObject(config.metadata) ? config.metadata : {};
  const named = shape.custom ? unknown : unknown.slice(0, 1);
  const problems = named.map((p) => `${applyPath(config, p, !shape.custom)}: field not declared in schema`);
  const text = problems.length === 1 ? problems[0] : `errors:\n  ${problems.join('\n  ')}`;
  return errors.withCode(
    500,
    `failed to create typed patch object (${String(meta.namespace ?? '')}/${String(meta.name ?? '')}; ` +
      `${shape.group}/${shape.version}, Kind=${shape.kind}): ${text}`,
  );
}

/**
 * The 500 kube-apiserver answers to an apply configuration holding a value of the wrong type: the
 * typed patch refuses it in structured-merge-diff's words, or (a fraction for an integer) the
 * conversion to the Go type after it does.
 */
export function typedPatchTypeError(shape: FieldShape, config: JsonObject, mismatch: TypeMismatch): ApiError {
  const meta = isObject(config.metadata) ? config.metadata : {};
  const gvk = `${shape.group}/${shape.version}, Kind=${shape.kind}`;
  const object = `(${String(meta.namespace ?? '')}/${String(meta.name ?? '')}; ${gvk})`;
  if (mismatch.typed === undefined)
    return errors.withCode(
      500,
      `failed to convert new object ${object} to proper version: unable to convert unstructured object to ${gvk}: ${mismatch.convert}`,
    );
  const path = mismatch.where.map((w) => (typeof w === 'number' ? `[${w}]` : `.${w}`)).join('');
  return errors.withCode(
    500,
    `failed to create typed patch object ${object}: ${applyPath(config, path.slice(1), !shape.custom)}: ${mismatch.typed}`,
  );
}
