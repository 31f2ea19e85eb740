import { isObject, type JsonObject } from '../json.js';
import { items } from './set.js';

/**
 * core/v1 LimitRange (SetDefaults_LimitRangeItem): a Container item's default limit is its max,
 * and its default request its default limit, else its min; maps left empty are not written.
 */
export function defaultLimitRange(obj: JsonObject): void {
  const spec = isObject(obj.spec) ? obj.spec : undefined;
  if (!spec) return;
  for (const item of items(spec, 'limits')) {
    if (item.type !== 'Container') continue;
    const map = (key: string): JsonObject => (isObject(item[key]) ? (item[key] as JsonObject) : {});
    const fallback = { ...map('max'), ...map('default') };
    const request = { ...map('min'), ...fallback, ...map('defaultRequest') };
    if (Object.keys(fallback).length > 0) item.default = fallback;
    if (Object.keys(request).length > 0) item.defaultRequest = request;
  }
}
