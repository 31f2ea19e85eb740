import type { Status } from '@kates/core';
import type { ServedResource } from './registry.js';

/** One `details.causes` entry of an Invalid or Conflict Status. */
export interface StatusCause {
  readonly reason: string;
  readonly message: string;
  readonly field?: string;
}

/**
 * An answer other than success, as the apiserver gives it: an HTTP code and a `Status` body
 * (or, for unknown API groups, the plain text the real server answers).
 */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly status: Status,
    readonly headers: Readonly<Record<string, string | readonly string[]>> = {},
    readonly plainText?: string,
  ) {
    super(status.message ?? status.reason ?? `HTTP ${code}`);
  }
}

function failure(
  code: number,
  reason: string | undefined,
  message: string,
  details?: Status['details'],
  headers?: Record<string, string>,
): ApiError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message };
  if (reason) status.reason = reason;
  if (details) status.details = details;
  status.code = code;
  return new ApiError(code, status, headers);
}

/** `configmaps` or `deployments.apps`: how Status messages name a resource. */
export function qualifiedResource(r: Pick<ServedResource, 'group' | 'resource'>): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

/** `ConfigMap` or `Deployment.apps`: how Invalid messages name a kind. */
export function qualifiedKind(r: Pick<ServedResource, 'group' | 'kind'>): string {
  return r.group ? `${r.kind}.${r.group}` : r.kind;
}

function resourceDetails(r: Pick<ServedResource, 'group' | 'resource'>, name: string): Status['details'] {
  return r.group ? { name, group: r.group, kind: r.resource } : { name, kind: r.resource };
}

export const errors = {
  notFound(r: Pick<ServedResource, 'group' | 'resource'>, name: string): ApiError {
    return failure(404, 'NotFound', `${qualifiedResource(r)} "${name}" not found`, resourceDetails(r, name));
  },
  /** What the apiserver answers for a path it routes but serves nothing at. */
  noResource(): ApiError {
    return failure(404, 'NotFound', 'the server could not find the requested resource', {});
  },
  /** What the apiserver answers for an API group it does not serve at all: plain text. */
  pageNotFound(): ApiError {
    const e = failure(404, 'NotFound', '404 page not found');
    return new ApiError(404, e.status, {}, '404 page not found');
  },
  alreadyExists(r: Pick<ServedResource, 'group' | 'resource'>, name: string): ApiError {
    return failure(
      409,
      'AlreadyExists',
      `${qualifiedResource(r)} "${name}" already exists`,
      resourceDetails(r, name),
    );
  },
  conflict(r: Pick<ServedResource, 'group' | 'resource'>, name: string, why: string): ApiError {
    return failure(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedResource(r)} "${name}": ${why}`,
      resourceDetails(r, name),
    );
  },
  /** The stale-resourceVersion conflict of an update. */
  modified(r: Pick<ServedResource, 'group' | 'resource'>, name: string): ApiError {
    return errors.conflict(
      r,
      name,
      'the object has been modified; please apply your changes to the latest version and try again',
    );
  },
  /** A delete precondition that does not hold; the real server names the Kind here, not the resource. */
  preconditionFailed(r: Pick<ServedResource, 'group' | 'kind'>, name: string, why: string): ApiError {
    return failure(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${r.kind} "${name}": ${why}`,
      r.group ? { name, group: r.group, kind: r.kind } : { name, kind: r.kind },
    );
  },
  applyConflict(message: string, causes: StatusCause[]): ApiError {
    return failure(409, 'Conflict', message, { causes });
  },
  invalid(r: Pick<ServedResource, 'group' | 'kind'>, name: string, causes: StatusCause[]): ApiError {
    const parts = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
    const joined = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
    // An invalid patch names no kind: the apiserver omits the empty field.
    const details: Status['details'] = r.kind ? { kind: r.kind, causes } : { causes };
    if (name) details.name = name;
    if (r.group) details.group = r.group;
    return failure(422, 'Invalid', `${qualifiedKind(r)} "${name}" is invalid: ${joined}`, details);
  },
  /** 422 with the apiserver's catch-all message (what a failing JSON patch `test` gets). */
  invalidRequest(): ApiError {
    return failure(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
  },
  /** An invalid query option (`ListOptions`, `PatchOptions`), as a 422 on `meta.k8s.io`. */
  invalidOptions(
    kind: 'ListOptions' | 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions',
    cause: StatusCause,
  ): ApiError {
    return failure(422, 'Invalid', `${kind}.meta.k8s.io "" is invalid: ${cause.field}: ${cause.message}`, {
      group: 'meta.k8s.io',
      kind,
      causes: [cause],
    });
  },
  badRequest(message: string): ApiError {
    return failure(400, 'BadRequest', message);
  },
  expired(message: string): ApiError {
    return failure(410, 'Expired', message);
  },
  tooManyRequests(retryAfterSeconds: number): ApiError {
    return failure(
      429,
      'TooManyRequests',
      'Too many requests, please try again later.',
      { retryAfterSeconds },
      { 'retry-after': String(retryAfterSeconds) },
    );
  },
  internal(message: string): ApiError {
    return failure(500, 'InternalError', `Internal error occurred: ${message}`, {
      causes: [{ message } as StatusCause],
    });
  },
  unavailable(message: string, retryAfterSeconds?: number): ApiError {
    return failure(
      503,
      'ServiceUnavailable',
      message,
      retryAfterSeconds === undefined ? undefined : { retryAfterSeconds },
      retryAfterSeconds === undefined ? undefined : { 'retry-after': String(retryAfterSeconds) },
    );
  },
  /** A failure of any HTTP code without a reason (what the faults use for unusual codes). */
  withCode(code: number, message: string): ApiError {
    return failure(code, undefined, message);
  },
  unauthorized(): ApiError {
    return failure(401, 'Unauthorized', 'Unauthorized');
  },
  forbidden(message: string, details?: Status['details']): ApiError {
    return failure(403, 'Forbidden', message, details);
  },
  methodNotAllowed(): ApiError {
    return failure(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
      {},
    );
  },
  unsupportedMediaType(message = '415: Unsupported Media Type'): ApiError {
    return failure(415, 'UnsupportedMediaType', message, {});
  },
  tooLargeResourceVersion(requested: string, current: number): ApiError {
    return failure(504, 'Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    });
  },
};

/** Field error causes, worded as k8s.io/apimachinery/pkg/util/validation/field words them. */
export const field = {
  required(path: string, detail: string): StatusCause {
    return {
      reason: 'FieldValueRequired',
      message: `Required value${detail ? `: ${detail}` : ''}`,
      field: path,
    };
  },
  invalid(path: string, value: unknown, detail: string): StatusCause {
    const shown = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? 'null');
    return { reason: 'FieldValueInvalid', message: `Invalid value: ${shown}: ${detail}`, field: path };
  },
  forbidden(path: string, detail: string): StatusCause {
    return { reason: 'FieldValueForbidden', message: `Forbidden: ${detail}`, field: path };
  },
  /** A value of the wrong type: `value` is what the message shows (CRD validation shows the type's name). */
  typeInvalid(path: string, value: unknown, detail: string): StatusCause {
    return { ...field.invalid(path, value, detail), reason: 'FieldValueTypeInvalid' };
  },
  notSupported(path: string, value: unknown, supported: readonly unknown[]): StatusCause {
    return {
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((v) => JSON.stringify(v)).join(', ')}`,
      field: path,
    };
  },
  tooLong(path: string, max: number): StatusCause {
    return {
      reason: 'FieldValueTooLong',
      message: `Too long: may not be more than ${max} bytes`,
      field: path,
    };
  },
  tooMany(path: string, count: number, max: number): StatusCause {
    return {
      reason: 'FieldValueTooMany',
      message: `Too many: ${count}: must have at most ${max} items`,
      field: path,
    };
  },
  duplicate(path: string, value: unknown): StatusCause {
    return {
      reason: 'FieldValueDuplicate',
      message: `Duplicate value: ${JSON.stringify(value)}`,
      field: path,
    };
  },
};
