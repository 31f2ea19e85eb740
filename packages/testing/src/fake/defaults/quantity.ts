import { isObject } from '../json.js';

/**
 * A resource.Quantity written as a JSON number, as the apiserver stores it: in its canonical
 * string (`1` is "1", `0.5` is "500m"). Strings are kept as sent (their canonical form, "1000m" to
 * "1", is not computed here).
 */
export function quantityOf(value: unknown): unknown {
  if (typeof value !== 'number' || !Number.isFinite(value)) return value;
  if (Number.isInteger(value)) return String(value);
  const milli = Math.round(value * 1000);
  return Math.abs(milli - value * 1000) < 1e-9 ? `${milli}m` : String(value);
}

/** Each number of a ResourceList (`limits`, `requests`) in its string form, in place. */
export function canonicalizeResourceList(list: unknown): void {
  if (!isObject(list)) return;
  for (const [k, v] of Object.entries(list)) list[k] = quantityOf(v);
}
