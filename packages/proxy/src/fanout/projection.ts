import { keepFields, type ObjectTransform, PROJECTION_PARAM } from '@kates/core';
import { projectionParamOf } from '@kates/core/internal';

/** Fields a page asked its objects projected to (see `PROJECTION_PARAM` of `@kates/core`). */
export interface Projection {
  /** Canonical: sorted, without duplicates. One serializer per cache and key. */
  readonly key: string;
  readonly transform: ObjectTransform;
}

/** The most fields one projection may name: a list view's columns, not a schema. */
const MAX_FIELDS = 64;

/**
 * Takes the projection parameter out of `params` (so that nothing forwarded to the API server
 * carries it) and returns what it asks for: undefined without one, or an error message for a
 * malformed one.
 */
export function takeProjection(
  params: URLSearchParams | Record<string, string>,
): Projection | { readonly error: string } | undefined {
  const value = params instanceof URLSearchParams ? params.get(PROJECTION_PARAM) : params[PROJECTION_PARAM];
  if (params instanceof URLSearchParams) params.delete(PROJECTION_PARAM);
  else delete params[PROJECTION_PARAM];
  if (value === null || value === undefined) return undefined;
  const paths = value.split(',').filter(Boolean);
  if (paths.length > MAX_FIELDS) {
    return { error: `${PROJECTION_PARAM} names ${paths.length} fields; at most ${MAX_FIELDS}` };
  }
  try {
    return { key: projectionParamOf(paths), transform: keepFields(paths) };
  } catch (e) {
    return { error: `${PROJECTION_PARAM}: ${(e as Error).message}` };
  }
}

/** Whether a projection was malformed (see {@link takeProjection}). */
export function isProjectionError(p: ReturnType<typeof takeProjection>): p is { readonly error: string } {
  return p !== undefined && 'error' in p;
}
