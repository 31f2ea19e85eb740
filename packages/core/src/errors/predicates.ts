import { ApiError, type FieldCause } from './api-error.js';

function reasonOf(err: unknown): { code: number; reason: string } | undefined {
  return err instanceof ApiError ? { code: err.code, reason: err.reason } : undefined;
}

/** 404 NotFound: the object (or its namespace) does not exist. */
export function isNotFound(err: unknown): err is ApiError {
  const r = reasonOf(err);
  return r !== undefined && (r.reason === 'NotFound' || (r.code === 404 && r.reason === 'Unknown'));
}

/** 409 AlreadyExists: a create found an object of that name. */
export function isAlreadyExists(err: unknown): err is ApiError {
  return reasonOf(err)?.reason === 'AlreadyExists';
}

/**
 * 409 Conflict: an update or a delete precondition named a resourceVersion (or uid) that is no
 * longer current. Get the object again and retry. An `AlreadyExists` is not a conflict.
 */
export function isConflict(err: unknown): err is ApiError {
  const r = reasonOf(err);
  return r !== undefined && (r.reason === 'Conflict' || (r.code === 409 && r.reason === 'Unknown'));
}

/** 403 Forbidden: RBAC denies the verb (or admission refused it). */
export function isForbidden(err: unknown): err is ApiError {
  const r = reasonOf(err);
  return r !== undefined && (r.reason === 'Forbidden' || (r.code === 403 && r.reason === 'Unknown'));
}

/**
 * 410 Gone or Expired: a resourceVersion or a continue token is older than what etcd keeps.
 * Start again from a fresh list.
 */
export function isGone(err: unknown): err is ApiError {
  const r = reasonOf(err);
  return r !== undefined && (r.reason === 'Gone' || r.reason === 'Expired' || r.code === 410);
}

/**
 * The resource type is not served: a kind that discovery does not know ({@link UnknownKindError},
 * or any error marked `unserved: true`, as an accumulator host may throw), or a 404 to a list or
 * watch of a whole collection (a CRD not installed, or removed). Accumulator queries and watches
 * wait for it to appear rather than fail.
 */
export function isUnserved(err: unknown): boolean {
  if (err instanceof ApiError) return err.code === 404 && isCollectionRequest(err);
  return err instanceof Error && (err as { unserved?: unknown }).unserved === true;
}

// A namespace that does not exist lists as empty, so a 404 to a collection means its type is missing.
function isCollectionRequest(err: ApiError): boolean {
  return err.objectName === undefined && (err.verb === 'list' || err.verb === 'watch');
}

/** 422 Invalid: the object failed validation; {@link invalidCauses} tells which fields. */
export function isInvalid(err: unknown): err is ApiError {
  const r = reasonOf(err);
  return r !== undefined && (r.reason === 'Invalid' || (r.code === 422 && r.reason === 'Unknown'));
}

/** The field causes of an `Invalid` error (empty for anything else). */
export function invalidCauses(err: unknown): readonly FieldCause[] {
  return isInvalid(err) ? err.causes : [];
}
