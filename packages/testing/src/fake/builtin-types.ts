import * as models from '@kubernetes/client-node';
import { isObject } from './json.js';

/**
 * The value types of built-in kinds' fields, read from @kubernetes/client-node's generated models
 * (`attributeTypeMap`: `number` with format `int32`, `Array<V1Container>`...), so a number where
 * a string belongs is refused as the apiserver's decoders refuse it. The models spell
 * resource.Quantity as a string; Quantity fields (which take numbers too) are listed below.
 */

interface Attribute {
  readonly baseName: string;
  readonly type: string;
  readonly format: string;
}

/** Fields whose Go type is resource.Quantity or a map of them (a ResourceList). */
const QUANTITIES = new Set([
  'V1ResourceRequirements.limits',
  'V1ResourceRequirements.requests',
  'V1VolumeResourceRequirements.limits',
  'V1VolumeResourceRequirements.requests',
  'V1ResourceQuotaSpec.hard',
  'V1ResourceQuotaStatus.hard',
  'V1ResourceQuotaStatus.used',
  'V1LimitRangeItem.default',
  'V1LimitRangeItem.defaultRequest',
  'V1LimitRangeItem.max',
  'V1LimitRangeItem.min',
  'V1LimitRangeItem.maxLimitRequestRatio',
  'V1PersistentVolumeSpec.capacity',
  'V1PersistentVolumeClaimStatus.capacity',
  'V1PersistentVolumeClaimStatus.allocatedResources',
  'V1NodeStatus.capacity',
  'V1NodeStatus.allocatable',
  'V1PodSpec.overhead',
  'V1Overhead.podFixed',
  'V1ContainerStatus.allocatedResources',
  'V1EmptyDirVolumeSource.sizeLimit',
  'V1ResourceFieldSelector.divisor',
  'V1CSIStorageCapacity.capacity',
  'V1CSIStorageCapacity.maximumVolumeSize',
  'V2MetricTarget.value',
  'V2MetricTarget.averageValue',
  'V2MetricValueStatus.value',
  'V2MetricValueStatus.averageValue',
]);

/** A field's type, as far as the check goes: leaves it cannot judge (times, int-or-string, any) are `skip`. */
type ValueType =
  | { readonly kind: 'skip' }
  | { readonly kind: 'leaf'; readonly go: 'string' | 'bool' | 'int32' | 'int64' | 'float64' }
  | { readonly kind: 'list'; readonly item: ValueType; readonly go: string }
  | { readonly kind: 'map'; readonly value: ValueType; readonly go: string }
  | { readonly kind: 'model'; readonly name: string; readonly go: string };

const SKIP: ValueType = { kind: 'skip' };
const attributes = new Map<string, readonly Attribute[] | null>();

function attributesOf(model: string): readonly Attribute[] | undefined {
  let known = attributes.get(model);
  if (known === undefined) {
    const m = (models as unknown as Record<string, { attributeTypeMap?: Attribute[] } | undefined>)[model];
    known = m?.attributeTypeMap ?? null;
    attributes.set(model, known);
  }
  return known ?? undefined;
}

/** `V1DeploymentSpec` as Go names its type: `v1.DeploymentSpec` (`RbacV1Subject`: `v1.Subject`). */
function goTypeName(model: string): { pkg: string; name: string } {
  const m = /^(?:[A-Z][a-z]+)?(V\d+(?:(?:alpha|beta)\d+)?)([A-Z].*)$/.exec(model);
  return m ? { pkg: (m[1] as string).toLowerCase(), name: m[2] as string } : { pkg: '', name: model };
}

function leaf(type: string, format: string): ValueType {
  if (type === 'string' && format === '') return { kind: 'leaf', go: 'string' };
  if (type === 'boolean') return { kind: 'leaf', go: 'bool' };
  if (type === 'number' && format === 'int32') return { kind: 'leaf', go: 'int32' };
  if (type === 'number' && format === 'int64') return { kind: 'leaf', go: 'int64' };
  if (type === 'number' && format === 'double') return { kind: 'leaf', go: 'float64' };
  return SKIP;
}

function parseType(text: string, format: string): ValueType {
  const list = /^Array<(.+)>$/.exec(text);
  if (list) {
    const item = parseType(list[1] as string, format);
    return item.kind === 'skip' ? SKIP : { kind: 'list', item, go: `[]${goOf(item)}` };
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(text);
  if (map) {
    const value = parseType(map[1] as string, format);
    return value.kind === 'skip' ? SKIP : { kind: 'map', value, go: `map[string]${goOf(value)}` };
  }
  if (/^[A-Z][A-Za-z0-9]*$/.test(text) && attributesOf(text)) {
    const { pkg, name } = goTypeName(text);
    return { kind: 'model', name: text, go: pkg ? `${pkg}.${name}` : name };
  }
  return leaf(text, format);
}

function goOf(t: ValueType): string {
  return t.kind === 'skip' ? '' : t.go;
}

/** What the apiserver says of one mismatch, in the words of its two decoders. */
export interface TypeMismatch {
  /** encoding/json's, for request bodies and merge or JSON patches: `json: cannot unmarshal ...`. */
  readonly json: string;
  /** The unstructured converter's, for strategic merge patches: `cannot convert int64 to string`. */
  readonly convert: string;
  /**
   * structured-merge-diff's, for server-side apply (`expected string, got ...`); undefined for a
   * number that is not an integer of an integer field, which the typed patch takes and the
   * conversion after it refuses (`convert` then says why).
   */
  readonly typed?: string;
  /** Where: field names, map keys and list indexes from the root (`spec`, `template`, ..., `containers`, 0, `image`). */
  readonly where: readonly (string | number)[];
}

/** A JSON value as Go's `%#v` prints it inside an interface{} (`5`, `"x"`, `[]interface {}{1, "x"}`). */
function goSyntax(v: unknown): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSyntax).join(', ')}}`;
  if (isObject(v))
    return `map[string]interface {}{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${goSyntax(v[k])}`)
      .join(', ')}}`;
  return String(v);
}

/** A JSON value as Go's `%v` prints it (`map[a:1]`, `[x]`, `yes`). */
function goPlain(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goPlain).join(' ')}]`;
  if (isObject(v))
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goPlain(v[k])}`)
      .join(' ')}]`;
  return String(v);
}

function typedMessage(type: ValueType, value: unknown, literal: boolean): string | undefined {
  if (literal) return undefined;
  if (type.kind === 'list') return `expected list, got &{${goPlain(value)}}`;
  if (type.kind === 'map' || type.kind === 'model') return `expected map, got &{${goPlain(value)}}`;
  if (type.kind !== 'leaf') return undefined;
  if (type.go === 'string') return `expected string, got &value.valueUnstructured{Value:${goSyntax(value)}}`;
  if (type.go === 'bool') return `expected boolean, got &{${goPlain(value)}}`;
  return `expected numeric (int or float), got ${unstructured(value).type}`;
}

/** A JSON value's type as Go's unstructured JSON holds it, and its reflect kind. */
function unstructured(v: unknown): { type: string; kind: string; json: string } {
  if (typeof v === 'string') return { type: 'string', kind: 'string', json: 'string' };
  if (typeof v === 'boolean') return { type: 'bool', kind: 'bool', json: 'bool' };
  if (typeof v === 'number')
    return Number.isInteger(v)
      ? { type: 'int64', kind: 'int64', json: 'number' }
      : { type: 'float64', kind: 'float64', json: 'number' };
  if (Array.isArray(v)) return { type: '[]interface {}', kind: 'slice', json: 'array' };
  return { type: 'map[string]interface {}', kind: 'map', json: 'object' };
}

const INT_RANGE = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

function leafFits(go: string, v: unknown): { ok: boolean; literal?: boolean } {
  if (go === 'string') return { ok: typeof v === 'string' };
  if (go === 'bool') return { ok: typeof v === 'boolean' };
  if (go === 'float64') return { ok: typeof v === 'number' };
  if (typeof v !== 'number') return { ok: false };
  const [min, max] = INT_RANGE[go as 'int32' | 'int64'];
  // A number that is not an integer of the type is named with its value (`number 1.5`).
  return Number.isInteger(v) && v >= (min as number) && v <= (max as number)
    ? { ok: true }
    : { ok: false, literal: true };
}

function mismatch(
  value: unknown,
  type: ValueType,
  struct: string,
  path: readonly string[],
  where: readonly (string | number)[],
): TypeMismatch {
  const u = unstructured(value);
  const fits = type.kind === 'leaf' ? leafFits(type.go, value) : { ok: false };
  const shown = fits.literal ? `number ${String(value)}` : u.json;
  const convert =
    type.kind === 'leaf'
      ? `cannot convert ${u.type} to ${type.go}`
      : type.kind === 'list'
        ? `cannot restore slice from ${u.kind}`
        : type.kind === 'map'
          ? `cannot restore map from ${u.kind}`
          : `cannot restore struct from: ${u.kind}`;
  const typed = typedMessage(type, value, fits.literal === true);
  return {
    json: `json: cannot unmarshal ${shown} into Go struct field ${struct}.${path.join('.')} of type ${goOf(type)}`,
    convert,
    // A copy: the check extends and shortens its path as it goes.
    where: [...where],
    ...(typed === undefined ? {} : { typed }),
  };
}

/**
 * The first mismatch in `value`. `path` (field names) and `where` (names, keys and indexes) are
 * the way down to it, extended before each step down and shortened after it: one array each for
 * the whole check, not a copy per field (a Pod has hundreds).
 */
function check(
  value: unknown,
  type: ValueType,
  struct: string,
  path: string[],
  where: (string | number)[],
): TypeMismatch | undefined {
  if (value === null || value === undefined || type.kind === 'skip') return undefined;
  if (type.kind === 'leaf')
    return leafFits(type.go, value).ok ? undefined : mismatch(value, type, struct, path, where);
  if (type.kind === 'list') {
    if (!Array.isArray(value)) return mismatch(value, type, struct, path, where);
    for (let i = 0; i < value.length; i++) {
      where.push(i);
      const found = check(value[i], type.item, struct, path, where);
      where.pop();
      if (found) return found;
    }
    return undefined;
  }
  if (!isObject(value)) return mismatch(value, type, struct, path, where);
  if (type.kind === 'map') {
    for (const k in value) {
      where.push(k);
      const found = check(value[k], type.value, struct, path, where);
      where.pop();
      if (found) return found;
    }
    return undefined;
  }
  return checkModel(value, type.name, path, where);
}

/** A model as the check reads it: Go's struct name, and each judged field's type by its JSON name. */
interface ModelTypes {
  readonly struct: string;
  readonly fields: ReadonlyMap<string, ValueType>;
}
const modelTypes = new Map<string, ModelTypes>();

/**
 * The types of a model's fields, worked out once per model: parsing the generated type strings
 * (regular expressions) for every field of every object made seeding 100k Pods in the fake spend
 * about a tenth of its time here.
 */
function typesOf(model: string): ModelTypes {
  let known = modelTypes.get(model);
  if (!known) {
    const fields = new Map<string, ValueType>();
    for (const a of attributesOf(model) ?? []) {
      // The first declaration of a name wins, as `find` over the declarations did.
      if (fields.has(a.baseName)) continue;
      fields.set(a.baseName, QUANTITIES.has(`${model}.${a.baseName}`) ? SKIP : parseType(a.type, a.format));
    }
    known = { struct: goTypeName(model).name, fields };
    modelTypes.set(model, known);
  }
  return known;
}

function checkModel(
  value: Record<string, unknown>,
  model: string,
  path: string[],
  where: (string | number)[],
): TypeMismatch | undefined {
  const { struct, fields } = typesOf(model);
  for (const key in value) {
    const type = fields.get(key);
    if (type === undefined || type.kind === 'skip') continue;
    path.push(key);
    where.push(key);
    const found = check(value[key], type, struct, path, where);
    path.pop();
    where.pop();
    if (found) return found;
  }
  return undefined;
}

/**
 * The first field of `value` (in document order) whose value the model `model` types otherwise,
 * with what the apiserver answers about it; undefined when every judged field fits. Fields the
 * model does not declare are not judged here (field validation reports them).
 */
export function findTypeMismatch(model: string, value: unknown): TypeMismatch | undefined {
  return isObject(value) && attributesOf(model) ? checkModel(value, model, [], []) : undefined;
}
