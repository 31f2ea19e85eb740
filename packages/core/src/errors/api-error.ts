import type { Status } from '../model/object.js';

/** One reason the API server gave for refusing a field (`details.causes` of a `Status`). */
export interface FieldCause {
  /** The field path, such as `spec.replicas` or `metadata.name`; absent for causes without one. */
  readonly field?: string;
  /** A machine-readable reason, such as `FieldValueRequired` or `FieldValueInvalid`. */
  readonly reason?: string;
  readonly message?: string;
}

/** What a request was doing when the API server refused it. */
export interface ApiErrorContext {
  /** The client verb: `get`, `list`, `create`, `update`, `updateStatus`, `patch`, `apply`, `delete`, ... */
  readonly verb: string;
  /** The resource as kubectl names it: `deployments.apps`, `services`. */
  readonly resource: string;
  readonly name?: string;
  readonly namespace?: string;
  /** The selectors of a list or watch, canonical ('' or absent for none). */
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

/** The fields an {@link ApiError} is built from. */
export interface ApiErrorInit extends ApiErrorContext {
  /** HTTP status code, as in `Status.code`. */
  readonly code: number;
  /** `Status.reason`: `NotFound`, `AlreadyExists`, `Conflict`, `Invalid`, `Forbidden`, `Gone`, `Expired`, ... */
  readonly reason: string;
  /** The API server's own message. */
  readonly serverMessage: string;
  readonly causes?: readonly FieldCause[];
  /**
   * Seconds the server asked the client to wait before retrying (429, 503, some 409s), from the
   * Status's `details.retryAfterSeconds` or the `Retry-After` header.
   */
  readonly retryAfterSeconds?: number;
  /** The `Status` as the server sent it, when it sent one. */
  readonly status?: Status;
}

/**
 * An answer of the API server that is not a success: one class for every verb and resource,
 * carrying the status code, the reason and the server's message, and saying which request failed.
 * The client's calls, discovery and the reflectors' lists and watches (an HTTP status, or an ERROR
 * event inside a 200 watch stream) all fail with it. Test it with {@link isNotFound},
 * {@link isConflict}, {@link isGone}, {@link isUnserved} and the other predicates rather than with
 * `instanceof` and codes.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: number;
  readonly reason: string;
  readonly serverMessage: string;
  readonly verb: string;
  readonly resource: string;
  readonly objectName: string | undefined;
  readonly namespace: string | undefined;
  readonly labelSelector: string | undefined;
  readonly fieldSelector: string | undefined;
  /** Field causes; non-empty for most `Invalid` (422) answers. */
  readonly causes: readonly FieldCause[];
  readonly retryAfterSeconds: number | undefined;
  readonly status: Status | undefined;

  constructor(init: ApiErrorInit, message?: string) {
    super(message ?? describe(init));
    this.code = init.code;
    this.reason = init.reason;
    this.serverMessage = init.serverMessage;
    this.verb = init.verb;
    this.resource = init.resource;
    this.objectName = init.name;
    this.namespace = init.namespace;
    this.labelSelector = init.labelSelector || undefined;
    this.fieldSelector = init.fieldSelector || undefined;
    this.causes = init.causes ?? [];
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.status = init.status;
  }

  /** The fields this error was built from, to build a related one. */
  toInit(): ApiErrorInit {
    return {
      code: this.code,
      reason: this.reason,
      serverMessage: this.serverMessage,
      verb: this.verb,
      resource: this.resource,
      name: this.objectName,
      namespace: this.namespace,
      labelSelector: this.labelSelector,
      fieldSelector: this.fieldSelector,
      causes: this.causes,
      retryAfterSeconds: this.retryAfterSeconds,
      status: this.status,
    };
  }
}

/** `create deployments.apps "web" in namespace "shop": 409 AlreadyExists: ...` */
function describe(init: ApiErrorInit): string {
  const head = `${describeRequest(init)}: ${init.code} ${init.reason}`;
  const message = init.serverMessage ? `: ${init.serverMessage}` : '';
  return `${head}${message}${hint(init)}`;
}

/**
 * A request as errors name it: `create deployments.apps "web" in namespace "shop"`, or
 * `watch pods in namespace "shop" (labels app=web)`.
 */
export function describeRequest(context: ApiErrorContext): string {
  const target = context.name ? ` "${context.name}"` : '';
  const where = context.namespace ? ` in namespace "${context.namespace}"` : '';
  const selectors = [
    context.labelSelector && `labels ${context.labelSelector}`,
    context.fieldSelector && `fields ${context.fieldSelector}`,
  ]
    .filter(Boolean)
    .join(', ');
  return `${context.verb} ${context.resource}${target}${where}${selectors ? ` (${selectors})` : ''}`;
}

/** The cause kube-apiserver gives a write refused because its namespace is terminating. */
const NAMESPACE_TERMINATING = 'NamespaceTerminating';

// What to do next, for the answers where that is not obvious from the server's message.
function hint(init: ApiErrorInit): string {
  switch (init.reason) {
    case 'Conflict':
      return ' (the object changed since it was read: get it again and retry, or use modify())';
    case 'Forbidden':
      // The NamespaceLifecycle admission plugin refuses writes into a namespace being deleted with
      // a 403 too; RBAC has nothing to do with it, and the user's permissions are fine.
      if (init.causes?.some((c) => c.reason === NAMESPACE_TERMINATING))
        return ' (the namespace is being deleted: wait until it is gone and create it again, or write to another namespace)';
      return ' (the kubeconfig user lacks RBAC permission for this verb: check `kubectl auth can-i`)';
    case 'Unauthorized':
      return ' (the credentials were refused: check the kubeconfig user)';
    case 'Gone':
    case 'Expired':
      return ' (the resourceVersion or continue token is older than what etcd keeps: list again)';
    default:
      return '';
  }
}

const REASON_BY_CODE: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

const MAX_BODY_IN_MESSAGE = 300;

/**
 * Builds the error for a non-2xx answer from its status code and body. The body is usually a
 * `Status`; when it is not (a proxy's HTML page, a plain-text 404), its start becomes the message.
 * `retryAfter` is the answer's `Retry-After` header, used where the Status names no delay.
 */
export function apiErrorFromResponse(
  code: number,
  body: string,
  context: ApiErrorContext,
  retryAfter?: string,
): ApiError {
  const header = Number(retryAfter);
  const headerSeconds = Number.isFinite(header) && header > 0 ? header : undefined;
  const status = parseStatus(body);
  if (status) return apiErrorFromStatus(status, context, code, headerSeconds);
  const text = body.trim();
  return new ApiError({
    ...context,
    code,
    reason: REASON_BY_CODE[code] ?? 'Unknown',
    serverMessage: text.length > MAX_BODY_IN_MESSAGE ? `${text.slice(0, MAX_BODY_IN_MESSAGE)}...` : text,
    retryAfterSeconds: headerSeconds,
  });
}

/**
 * Builds the error for a `Status` the server sent: the body of a failed answer, or the object of an
 * ERROR event inside a 200 watch stream (where `code` comes from the Status alone; 500 if absent).
 */
export function apiErrorFromStatus(
  status: Status,
  context: ApiErrorContext,
  code = status.code ?? 500,
  retryAfterSeconds?: number,
): ApiError {
  const details = status.details;
  const statusCode = status.code ?? code;
  return new ApiError({
    ...context,
    code: statusCode,
    reason: status.reason || REASON_BY_CODE[statusCode] || 'Unknown',
    serverMessage: status.message ?? '',
    causes: (details?.causes ?? []).map((c) => ({ field: c.field, reason: c.reason, message: c.message })),
    retryAfterSeconds: details?.retryAfterSeconds ?? retryAfterSeconds,
    status,
  });
}

function parseStatus(body: string): Status | undefined {
  if (!body.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(body) as Status;
    return parsed.kind === 'Status' ? parsed : undefined;
  } catch {
    return undefined;
  }
}
