import type { SchemaObject } from 'ajv';

/**
 * A CRD's OpenAPI v3 schema as JSON (`openAPIV3Schema`), with the Kubernetes extensions. client-node's
 * `V1JSONSchemaProps` renames the keys (`_default`, `xKubernetesIntOrString`); this is the wire form.
 */
export interface StructuralSchema {
  type?: string;
  format?: string;
  nullable?: boolean;
  properties?: Record<string, StructuralSchema>;
  additionalProperties?: boolean | StructuralSchema;
  items?: StructuralSchema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean | number;
  exclusiveMaximum?: boolean | number;
  allOf?: StructuralSchema[];
  anyOf?: StructuralSchema[];
  oneOf?: StructuralSchema[];
  not?: StructuralSchema;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-validations'?: unknown[];
  [keyword: string]: unknown;
}

/** How a schema is turned into a JSON Schema for Ajv. */
export interface ConvertOptions {
  /** Refuse fields the schema does not declare, as `kubectl --validate=strict` (the default) does. */
  readonly unknownFields: boolean;
}

// Keywords with the same meaning in OpenAPI v3.0 and JSON Schema draft-07.
const COPIED = [
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'multipleOf',
  'minimum',
  'maximum',
  'required',
  'default',
] as const;

/**
 * Converts a structural schema into a draft-07 JSON Schema with Kubernetes' meaning:
 * `nullable` adds `null` to the type; `x-kubernetes-int-or-string` is integer or string;
 * OpenAPI's boolean `exclusiveMinimum` becomes draft-07's number; objects refuse undeclared
 * fields unless `x-kubernetes-preserve-unknown-fields`; embedded resources and the root accept
 * `apiVersion`, `kind` and `metadata` (which the API server checks, not the schema).
 * Collects the paths of CEL rules (`x-kubernetes-validations`), which are not checked locally.
 */
export function toJsonSchema(
  root: StructuralSchema,
  options: ConvertOptions,
  unchecked: string[],
): SchemaObject {
  const out = convert(root, '', options, unchecked);
  out.properties ??= {};
  const properties = out.properties as Record<string, SchemaObject>;
  properties.apiVersion = { type: 'string' };
  properties.kind = { type: 'string' };
  const metadata = root.properties?.metadata;
  properties.metadata = metadata
    ? { ...convert(metadata, 'metadata', { ...options, unknownFields: false }, unchecked), type: 'object' }
    : { type: 'object' };
  return out;
}

function convert(
  s: StructuralSchema | undefined,
  path: string,
  options: ConvertOptions,
  unchecked: string[],
): SchemaObject {
  if (!s || typeof s !== 'object') return {};
  const out: SchemaObject = {};
  let types: string[] | undefined = s['x-kubernetes-int-or-string']
    ? ['integer', 'string']
    : s.type
      ? [s.type]
      : undefined;
  if (types && s.nullable) types = [...types, 'null'];
  if (types) out.type = types.length === 1 ? types[0] : types;
  for (const k of COPIED) if (s[k] !== undefined) out[k] = s[k];
  if (s.enum) out.enum = s.nullable && !s.enum.includes(null) ? [...s.enum, null] : s.enum;
  if (s.exclusiveMinimum === true && s.minimum !== undefined) {
    out.exclusiveMinimum = s.minimum;
    delete out.minimum;
  }
  if (s.exclusiveMaximum === true && s.maximum !== undefined) {
    out.exclusiveMaximum = s.maximum;
    delete out.maximum;
  }
  if (s.properties) {
    out.properties = Object.fromEntries(
      Object.entries(s.properties).map(([k, v]) => [k, convert(v, join(path, k), options, unchecked)]),
    );
  }
  if (typeof s.additionalProperties === 'object') {
    out.additionalProperties = convert(s.additionalProperties, join(path, '*'), options, unchecked);
  } else if (typeof s.additionalProperties === 'boolean') {
    out.additionalProperties = s.additionalProperties;
  }
  if (s.items) out.items = convert(s.items, `${path}[*]`, options, unchecked);
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (s[k]) out[k] = s[k].map((sub) => convert(sub, path, { ...options, unknownFields: false }, unchecked));
  }
  if (s.not) out.not = convert(s.not, path, { ...options, unknownFields: false }, unchecked);
  if (s['x-kubernetes-embedded-resource']) {
    out.properties ??= {};
    const props = out.properties as Record<string, SchemaObject>;
    props.apiVersion ??= { type: 'string' };
    props.kind ??= { type: 'string' };
    props.metadata ??= { type: 'object' };
  }
  const isObject = s.type === 'object' || s.properties !== undefined;
  if (
    options.unknownFields &&
    isObject &&
    s.additionalProperties === undefined &&
    !s['x-kubernetes-preserve-unknown-fields']
  ) {
    out.additionalProperties = false;
  }
  if (Array.isArray(s['x-kubernetes-validations']) && s['x-kubernetes-validations'].length) {
    unchecked.push(path || '<root>');
  }
  return out;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function subSchema(s: StructuralSchema, key: string): StructuralSchema | undefined {
  return (
    s.properties?.[key] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined)
  );
}

/**
 * Drops `null` values of fields that are not `nullable`, in place, as the API server does before
 * defaulting and validation (a required field set to null is then missing).
 */
export function pruneNulls(value: unknown, schema: StructuralSchema | undefined): void {
  if (!schema) return;
  if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      const sub = subSchema(schema, key);
      if (!sub) continue;
      if (value[key] === null && !sub.nullable) delete value[key];
      else pruneNulls(value[key], sub);
    }
  } else if (Array.isArray(value) && schema.items) {
    for (const item of value) pruneNulls(item, schema.items);
  }
}

/** A duplicate entry of a `set` or `map` list, at the path of the later one. */
export interface DuplicateEntry {
  readonly field: string;
  readonly value: unknown;
}

/**
 * The duplicate entries of lists marked `x-kubernetes-list-type: set` (equal items) or `map`
 * (equal values of `x-kubernetes-list-map-keys`), which the API server refuses.
 */
export function findDuplicates(
  value: unknown,
  schema: StructuralSchema | undefined,
  path = '',
): DuplicateEntry[] {
  if (!schema) return [];
  const found: DuplicateEntry[] = [];
  if (isPlainObject(value)) {
    for (const [key, v] of Object.entries(value))
      found.push(...findDuplicates(v, subSchema(schema, key), join(path, key)));
  } else if (Array.isArray(value)) {
    const listType = schema['x-kubernetes-list-type'];
    const keys = schema['x-kubernetes-list-map-keys'] ?? [];
    const seen = new Set<string>();
    value.forEach((item, i) => {
      const itemPath = `${path}[${i}]`;
      if (listType === 'set' || (listType === 'map' && isPlainObject(item))) {
        const identity =
          listType === 'set'
            ? item
            : Object.fromEntries(keys.map((k) => [k, (item as Record<string, unknown>)[k]]));
        const key = canonicalJson(identity);
        if (seen.has(key)) found.push({ field: itemPath, value: identity });
        seen.add(key);
      }
      found.push(...findDuplicates(item, schema.items, itemPath));
    });
  }
  return found;
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isPlainObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
