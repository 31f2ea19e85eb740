import type { StructuralSchema } from '@kates/core';
import { pruneUnknownFields } from './builtin-schema.js';
import { clone, isObject, type JsonObject } from './json.js';

/**
 * What kube-apiserver does to a custom object before validating it, from its CRD's structural
 * schema: prunes fields the schema does not declare (unless `x-kubernetes-preserve-unknown-fields`),
 * drops `null`s of fields that are not `nullable`, and fills `default`s. Validation itself is in
 * structural-validation.ts.
 */

/** The custom object after pruning and defaulting, and the unknown fields it had (sorted, as the apiserver reports them). */
export interface NormalizedObject {
  readonly object: JsonObject;
  readonly unknown: readonly string[];
}

// The apiserver's own fields of every object and embedded resource; the schema does not declare them.
const TYPE_META = new Set(['apiVersion', 'kind']);

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function childSchema(schema: StructuralSchema, key: string): StructuralSchema | undefined {
  const declared = schema.properties?.[key];
  if (declared) return declared;
  return typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
}

function normalize(value: unknown, schema: StructuralSchema, path: string, unknown: string[]): unknown {
  if (Array.isArray(value)) {
    return schema.items
      ? value.map((item, i) => normalize(item, schema.items!, `${path}[${i}]`, unknown))
      : value;
  }
  if (!isObject(value)) return value;
  const embedded = schema['x-kubernetes-embedded-resource'] === true;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) {
    const sub = childSchema(schema, key);
    if (!sub) {
      if (embedded && (TYPE_META.has(key) || key === 'metadata')) out[key] = v;
      else if (preserve) out[key] = v;
      // An object that declares nothing (no properties, no additionalProperties) is opaque.
      else if (!schema.properties && schema.additionalProperties === undefined && schema.type !== 'object')
        out[key] = v;
      else unknown.push(join(path, key));
      continue;
    }
    if (v === null && !sub.nullable) {
      if (sub.default !== undefined) out[key] = clone(sub.default);
      continue;
    }
    out[key] = normalize(v, sub, join(path, key), unknown);
  }
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    if (out[key] === undefined && sub.default !== undefined) out[key] = clone(sub.default);
  }
  return out;
}

/**
 * Prunes, drops nulls and defaults a custom object against its version's `openAPIV3Schema`.
 * `apiVersion` and `kind` always stay; `metadata` is checked against ObjectMeta's fields.
 */
export function normalizeCustomObject(obj: JsonObject, schema: StructuralSchema): NormalizedObject {
  const unknown: string[] = [];
  const { metadata, ...rest } = obj;
  const typeMeta: JsonObject = {};
  const body: JsonObject = {};
  for (const [k, v] of Object.entries(rest)) (TYPE_META.has(k) ? typeMeta : body)[k] = v;
  const normalized = normalize(body, { ...schema, type: 'object' }, '', unknown) as JsonObject;
  const object: JsonObject = { ...typeMeta, ...normalized };
  if (metadata !== undefined) {
    const meta = pruneUnknownFields('V1ObjectMeta', metadata, 'sorted', 'metadata');
    object.metadata = meta.value;
    unknown.push(...meta.unknown);
  }
  return { object, unknown: unknown.sort() };
}
