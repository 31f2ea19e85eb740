import * as models from '@kubernetes/client-node';
import { isObject, type JsonObject } from './json.js';

/**
 * The field names of built-in kinds, read from @kubernetes/client-node's generated models (their
 * `attributeTypeMap`, generated from the apiserver's OpenAPI), so the fake knows nested shapes
 * (`spec.template.spec.containers[0].image`) without a schema table of its own. The models follow
 * an older Kubernetes minor than the real test server; a field added since is unknown here.
 */

/** A field type as the models spell it: `Array<V1Container>`, `{ [key: string]: string; }`, `V1ObjectMeta`. */
type FieldType =
  | { readonly kind: 'leaf' }
  | { readonly kind: 'list'; readonly item: FieldType }
  | { readonly kind: 'map'; readonly value: FieldType }
  | { readonly kind: 'model'; readonly name: string };

interface Attribute {
  readonly baseName: string;
  readonly type: string;
}

/** The order unknown fields are reported in: the decoder's (the body as sent) or Go's sorted map keys. */
export type KeyOrder = 'document' | 'sorted';

/** What a walk found: the value without unknown fields, and where they were. */
export interface Pruned {
  readonly value: unknown;
  readonly unknown: readonly string[];
}

const LEAF: FieldType = { kind: 'leaf' };
const types = new Map<string, FieldType>();
const fields = new Map<string, ReadonlyMap<string, FieldType> | null>();

function modelFields(name: string): ReadonlyMap<string, FieldType> | undefined {
  let known = fields.get(name);
  if (known === undefined) {
    const model = (models as unknown as Record<string, { attributeTypeMap?: Attribute[] } | undefined>)[name];
    const attributes = model?.attributeTypeMap;
    known = attributes ? new Map(attributes.map((a) => [a.baseName, parseType(a.type)])) : null;
    fields.set(name, known);
  }
  return known ?? undefined;
}

function parseType(text: string): FieldType {
  let type = types.get(text);
  if (type) return type;
  const list = /^Array<(.+)>$/.exec(text);
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(text);
  if (list) type = { kind: 'list', item: parseType(list[1] as string) };
  else if (map) type = { kind: 'map', value: parseType(map[1] as string) };
  // Models resolve lazily: V1JSONSchemaProps refers to itself.
  else if (/^[A-Z][A-Za-z0-9]*$/.test(text) && text !== 'Date' && text !== 'IntOrString')
    type = { kind: 'model', name: text };
  else type = LEAF;
  types.set(text, type);
  return type;
}

/** Whether client-node has a model of this name (`V1ConfigMap`, `CoreV1Event`). */
export function hasModel(name: string): boolean {
  return modelFields(name) !== undefined;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function keysOf(value: JsonObject, order: KeyOrder): string[] {
  const keys = Object.keys(value);
  return order === 'sorted' ? keys.sort() : keys;
}

function walk(value: unknown, type: FieldType, path: string, order: KeyOrder, unknown: string[]): unknown {
  if (type.kind === 'leaf' || value === null || value === undefined) return value;
  if (type.kind === 'list') {
    if (!Array.isArray(value)) return value;
    let changed = false;
    const out = value.map((item, i) => {
      const next = walk(item, type.item, `${path}[${i}]`, order, unknown);
      changed ||= next !== item;
      return next;
    });
    return changed ? out : value;
  }
  if (!isObject(value)) return value;
  const known = type.kind === 'model' ? modelFields(type.name) : undefined;
  if (type.kind === 'model' && !known) return value;
  let out: JsonObject | undefined;
  for (const key of keysOf(value, order)) {
    const child = type.kind === 'map' ? type.value : known?.get(key);
    if (!child) {
      unknown.push(join(path, key));
      out ??= { ...value };
      delete out[key];
      continue;
    }
    const next = walk(value[key], child, join(path, key), order, unknown);
    if (next !== value[key]) {
      out ??= { ...value };
      out[key] = next;
    }
  }
  return out ?? value;
}

/**
 * The fields of `value` that the model `name` (and the models it nests) does not declare, as
 * the apiserver's strict decoder names them (`metadata.foo`, `spec.template.spec.containers[0].imagee`),
 * and `value` without them. Values under untyped fields (`any`, RawExtension) are not looked into.
 */
export function pruneUnknownFields(name: string, value: unknown, order: KeyOrder, path = ''): Pruned {
  const unknown: string[] = [];
  const pruned = walk(value, { kind: 'model', name }, path, order, unknown);
  return { value: pruned, unknown };
}
