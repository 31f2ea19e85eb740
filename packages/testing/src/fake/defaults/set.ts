import { isObject, type JsonObject } from '../json.js';

/**
 * The two ways a Go defaulter decides a field is unset: a string field is "" (or absent), a
 * pointer or slice is nil. JSON null counts as absent in both, as the decoder reads it.
 */

/** Sets `obj[key]` to `value` when it is absent, null or "" (a Go string field's zero value). */
export function defaultString(obj: JsonObject, key: string, value: string): void {
  if (obj[key] === undefined || obj[key] === null || obj[key] === '') obj[key] = value;
}

/** Sets `obj[key]` to `value` when it is absent or null (a Go pointer's nil). */
export function defaultValue(obj: JsonObject, key: string, value: unknown): void {
  if (obj[key] === undefined || obj[key] === null) obj[key] = value;
}

/** The object at `obj[key]`, made (as `{}`) when absent: a Go struct field that is not a pointer. */
export function struct(obj: JsonObject, key: string): JsonObject {
  if (!isObject(obj[key])) obj[key] = {};
  return obj[key] as JsonObject;
}

/** The objects of the list at `obj[key]` (none when it is absent or not a list). */
export function items(obj: JsonObject, key: string): JsonObject[] {
  const list = obj[key];
  return Array.isArray(list) ? list.filter(isObject) : [];
}
