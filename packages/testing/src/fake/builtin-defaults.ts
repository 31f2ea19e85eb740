import { isObject, type JsonObject } from './json.js';
import type { ServedResource } from './registry.js';

/**
 * The conversions and defaults of built-in kinds that users see in what they read back, applied to
 * every create and update of the main resource (ALLOWED_DIFFERENCES.defaulting lists the rest):
 * a Secret's `stringData` is written into `data` (base64) and dropped, and its `type` is Opaque
 * unless given, as the apiserver's conversion and defaulting do.
 */
export function applyBuiltinDefaults(r: ServedResource, obj: JsonObject): void {
  if (r.storageKey !== '/secrets') return;
  // Written last, after data, where the apiserver's JSON has it.
  const type = typeof obj.type === 'string' && obj.type !== '' ? obj.type : 'Opaque';
  delete obj.type;
  if (isObject(obj.stringData)) {
    const data: JsonObject = isObject(obj.data) ? { ...obj.data } : {};
    for (const [k, v] of Object.entries(obj.stringData))
      if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
    obj.data = data;
  }
  delete obj.stringData;
  obj.type = type;
}
