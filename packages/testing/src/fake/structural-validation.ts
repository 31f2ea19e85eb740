import type { StructuralSchema } from '@kates/core';
import { deepEqual, isObject } from './json.js';
import { field, type StatusCause } from './status.js';

/**
 * Validates a custom object against its CRD's structural schema, with kube-apiserver's field
 * paths, reasons and words (k8s.io/kube-openapi's validate, as the apiextensions-apiserver
 * reports it): types (and `x-kubernetes-int-or-string`, `nullable`), `required`, `enum`, numeric
 * bounds, string lengths, `pattern`, common `format`s, list sizes and unique items. CEL rules
 * (`x-kubernetes-validations`) and `allOf`/`anyOf`/`oneOf`/`not` are not checked.
 */

// Every object has these; the schema's rules about them are the apiserver's, not the schema's.
const ROOT_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(expected: string, actual: string): boolean {
  return expected === actual || (expected === 'number' && actual === 'integer');
}

// The formats clients commonly declare, checked as kube-openapi's strfmt checks them.
const FORMATS: Readonly<Record<string, RegExp>> = {
  'date-time': /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  uuid: /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/,
  byte: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
  ipv4: /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/,
};

const patterns = new Map<string, RegExp | null>();

/** A Go (RE2) pattern as a JavaScript RegExp; null where JavaScript cannot read it (then it is not checked). */
function compiled(pattern: string): RegExp | null {
  let re = patterns.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern);
    } catch {
      re = null;
    }
    patterns.set(pattern, re);
  }
  return re;
}

function checkNumber(value: number, s: StructuralSchema, path: string, causes: StatusCause[]): void {
  const bound = (op: string, limit: number) =>
    causes.push(field.invalid(path, value, `${path} in body should be ${op} ${limit}`));
  const exclusiveMin = s.exclusiveMinimum === true;
  const exclusiveMax = s.exclusiveMaximum === true;
  if (s.minimum !== undefined && (exclusiveMin ? value <= s.minimum : value < s.minimum))
    bound(exclusiveMin ? 'greater than' : 'greater than or equal to', s.minimum);
  if (s.maximum !== undefined && (exclusiveMax ? value >= s.maximum : value > s.maximum))
    bound(exclusiveMax ? 'less than' : 'less than or equal to', s.maximum);
  const multipleOf = s.multipleOf as number | undefined;
  if (multipleOf && !Number.isInteger(value / multipleOf))
    causes.push(field.invalid(path, value, `${path} in body should be a multiple of ${multipleOf}`));
}

function checkString(value: string, s: StructuralSchema, path: string, causes: StatusCause[]): void {
  const maxLength = s.maxLength as number | undefined;
  const minLength = s.minLength as number | undefined;
  if (maxLength !== undefined && Buffer.byteLength(value) > maxLength)
    causes.push(field.tooLong(path, maxLength));
  if (minLength !== undefined && [...value].length < minLength)
    causes.push(field.invalid(path, value, `${path} in body should be at least ${minLength} chars long`));
  const pattern = s.pattern as string | undefined;
  if (pattern !== undefined && compiled(pattern)?.test(value) === false)
    causes.push(field.invalid(path, value, `${path} in body should match '${pattern}'`));
  const format = s.format ? FORMATS[s.format] : undefined;
  if (format && !format.test(value))
    causes.push(
      field.typeInvalid(path, value, `${path} in body must be of type ${s.format}: ${JSON.stringify(value)}`),
    );
}

function checkArray(value: unknown[], s: StructuralSchema, path: string, causes: StatusCause[]): void {
  const maxItems = s.maxItems as number | undefined;
  const minItems = s.minItems as number | undefined;
  if (maxItems !== undefined && value.length > maxItems)
    causes.push(field.tooMany(path, value.length, maxItems));
  if (minItems !== undefined && value.length < minItems)
    causes.push(field.invalid(path, value.length, `${path} in body should have at least ${minItems} items`));
  if (s.uniqueItems === true) {
    value.forEach((item, i) => {
      if (value.slice(0, i).some((earlier) => deepEqual(earlier, item)))
        causes.push(field.duplicate(`${path}[${i}]`, item));
    });
  }
  const items = s.items;
  if (items) {
    value.forEach((item, i) => {
      check(item, items, `${path}[${i}]`, causes);
    });
  }
}

function checkObject(
  value: Record<string, unknown>,
  s: StructuralSchema,
  path: string,
  causes: StatusCause[],
): void {
  const join = (key: string) => (path ? `${path}.${key}` : key);
  for (const key of s.required ?? [])
    if (value[key] === undefined) causes.push(field.required(join(key), ''));
  for (const [key, v] of Object.entries(value)) {
    const sub =
      s.properties?.[key] ??
      (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
    if (sub) check(v, sub, join(key), causes);
  }
}

function check(value: unknown, s: StructuralSchema, path: string, causes: StatusCause[]): void {
  if (value === undefined) return;
  if (value === null && s.nullable) return;
  const actual = typeName(value);
  const expected = s['x-kubernetes-int-or-string'] ? ['integer', 'string'] : s.type ? [s.type] : [];
  if (expected.length > 0 && !expected.some((t) => typeMatches(t, actual))) {
    causes.push(
      field.typeInvalid(path, actual, `${path} in body must be of type ${expected.join(',')}: "${actual}"`),
    );
    return;
  }
  if (s.enum && !s.enum.some((allowed) => deepEqual(allowed, value)))
    causes.push(field.notSupported(path, value, s.enum));
  if (typeof value === 'number') checkNumber(value, s, path, causes);
  else if (typeof value === 'string') checkString(value, s, path, causes);
  else if (Array.isArray(value)) checkArray(value, s, path, causes);
  else if (isObject(value)) checkObject(value, s, path, causes);
}

/**
 * The field errors of a custom object (already pruned and defaulted) against its version's
 * `openAPIV3Schema`; `apiVersion`, `kind` and `metadata` are the apiserver's to check.
 */
export function validateCustomObject(obj: Record<string, unknown>, schema: StructuralSchema): StatusCause[] {
  const causes: StatusCause[] = [];
  const { apiVersion: _a, kind: _k, metadata: _m, ...body } = obj;
  const required = (schema.required ?? []).filter((k) => !ROOT_FIELDS.has(k));
  checkObject(body, { ...schema, required }, '', causes);
  return causes;
}
