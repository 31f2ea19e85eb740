import { clone, isObject, type JsonObject } from './json.js';

/** kubectl's client-side apply annotation. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** JSON as Go's encoding/json writes a map: keys sorted at every level, `<`, `>` and `&` escaped. */
export function goJson(v: unknown): string {
  const sorted = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sorted);
    if (!isObject(x)) return x;
    const out: JsonObject = {};
    for (const k of Object.keys(x).sort()) out[k] = sorted(x[k]);
    return out;
  };
  return JSON.stringify(sorted(v)).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * What the apiserver's field manager does after a server-side apply by the `kubectl` manager to an
 * object that carries the client-side apply annotation: it rewrites the annotation to the applied
 * configuration (without the annotation), so that a later client-side apply diffs against it.
 * Other managers leave it alone. Returns `applied`, or a copy with the annotation rewritten.
 */
export function withLastApplied(applied: JsonObject, config: JsonObject, manager: string): JsonObject {
  const meta = isObject(applied.metadata) ? applied.metadata : undefined;
  const annotations = meta && isObject(meta.annotations) ? meta.annotations : undefined;
  if (manager !== 'kubectl' || !annotations || !(LAST_APPLIED in annotations)) return applied;
  const copy = clone(config);
  const copyMeta = isObject(copy.metadata) ? copy.metadata : undefined;
  // Go deletes from the map it got: no map stays absent, a map left empty stays as {}.
  if (copyMeta && isObject(copyMeta.annotations)) delete copyMeta.annotations[LAST_APPLIED];
  return {
    ...applied,
    metadata: { ...meta, annotations: { ...annotations, [LAST_APPLIED]: `${goJson(copy)}\n` } },
  };
}
