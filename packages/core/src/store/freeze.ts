/**
 * Freezes an object and everything in it that is not frozen yet. Snapshots hand out the stored
 * objects themselves (no copies), so they must not be writable; objects already frozen, such as
 * the ones the store holds, are not walked again.
 */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}
