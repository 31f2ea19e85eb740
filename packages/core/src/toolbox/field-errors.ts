import type { ErrorObject } from 'ajv';

/**
 * The reason of a field error: the API server's `details.causes[].reason` values, plus
 * `FieldValueUnknown` for a field the schema does not declare (the server's strict field
 * validation refuses those with a 400 and no cause).
 */
export type FieldErrorReason =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueTypeInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueUnknown';

/** One field that does not match the schema, named as the API server names it (`spec.ports[0].port`). */
export interface FieldError {
  readonly field: string;
  readonly reason: FieldErrorReason;
  /** `Invalid value: "x": must be of type integer`, in the API server's words where it has them. */
  readonly message: string;
}

const MAX_VALUE_CHARS = 64;

/** `spec.ports[0].port` from Ajv's `/spec/ports/0/port`, reading the data to tell lists from maps. */
function fieldOf(instancePath: string, data: unknown): string {
  let field = '';
  let node: unknown = data;
  for (const raw of instancePath.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    field = Array.isArray(node) ? `${field}[${key}]` : field ? `${field}.${key}` : key;
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return field;
}

function valueAt(instancePath: string, data: unknown): unknown {
  let node: unknown = data;
  for (const raw of instancePath.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

/** A value as JSON for a message, cut at 64 characters. */
export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}...` : text;
}

function join(base: string, key: string): string {
  return base ? `${base}.${key}` : key;
}

/** An Ajv error in the API server's words (k8s.io/apimachinery field errors), at the server's path. */
export function toFieldError(e: ErrorObject, data: unknown): FieldError {
  const base = fieldOf(e.instancePath, data);
  const value = valueAt(e.instancePath, data);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return {
        field: join(base, String(p.missingProperty)),
        reason: 'FieldValueRequired',
        message: 'Required value',
      };
    case 'additionalProperties': {
      const field = join(base, String(p.additionalProperty));
      return { field, reason: 'FieldValueUnknown', message: `unknown field "${field}"` };
    }
    case 'enum':
      return {
        field: base,
        reason: 'FieldValueNotSupported',
        message:
          `Unsupported value: ${show(value)}: supported ` +
          `values: ${(p.allowedValues as unknown[]).map(show).join(', ')}`,
      };
    case 'type':
      return {
        field: base,
        reason: 'FieldValueTypeInvalid',
        message: `Invalid value: ${show(value)}: must be of type ` + `${String(p.type)}`,
      };
    case 'format':
      return {
        field: base,
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${show(value)}: must be of type ` + `${String(p.format)}`,
      };
    case 'maxLength':
      return {
        field: base,
        reason: 'FieldValueTooLong',
        message: `Too long: may not be more than ${String(p.limit)} characters`,
      };
    case 'maxItems':
      return {
        field: base,
        reason: 'FieldValueTooMany',
        message: `Too many: ${(value as unknown[]).length}: must have ` + `at most ${String(p.limit)} items`,
      };
    default:
      return {
        field: base,
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${show(value)}: ${e.message ?? e.keyword}`,
      };
  }
}

/** The errors without repeats (Ajv may report one field twice through composed schemas). */
export function dedupeFieldErrors(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.field}\n${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
