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
  /** Seconds the server asked the client to wait before retrying (429, 503, some 409s). */
  readonly retryAfterSeconds?: number;
  /** The `Status` as the server sent it, when it sent one. */
  readonly status?: Status;
}

/**
 * An answer of the API server that is not a success: one class for every verb and resource,
 * carrying the status code, the reason and the server's message, and saying which request failed.
 * Test it with {@link isNotFound}, {@link isConflict} and the other predicates rather than with
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
      causes: this.causes,
      retryAfterSeconds: this.retryAfterSeconds,
      status: this.status,
    };
  }
}

/** `create deployments.apps "web" in namespace "shop": 409 AlreadyExists: ...` */
function describe(init: ApiErrorInit): string {
  const target = init.name ? ` "${init.name}"` : '';
  const where = init.namespace ? ` in namespace "${init.namespace}"` : '';
  const head = `${init.verb} ${init.resource}${target}${where}: ${init.code} ${init.reason}`;
  const message = init.serverMessage ? `: ${init.serverMessage}` : '';
  return `${head}${message}${hint(init)}`;
}

// What to do next, for the answers where that is not obvious from the server's message.
function hint(init: ApiErrorInit): string {
  switch (init.reason) {
    case 'Conflict':
      return ' (the object changed since it was read: get it again and retry, or use modify())';
    case 'Forbidden':
      return ' (the kubeconfig user lacks RBAC permission for this verb: check `kubectl auth can-i`)';
    case 'Unauthorized':
      return ' (the credentials were refused: check the kubeconfig user)';
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
 */
export function apiErrorFromResponse(code: number, body: string, context: ApiErrorContext): ApiError {
  const status = parseStatus(body);
  if (status) {
    const details = status.details;
    return new ApiError({
      ...context,
      code: status.code ?? code,
      reason: status.reason || REASON_BY_CODE[code] || 'Unknown',
      serverMessage: status.message ?? '',
      causes: (details?.causes ?? []).map((c) => ({ field: c.field, reason: c.reason, message: c.message })),
      retryAfterSeconds: details?.retryAfterSeconds,
      status,
    });
  }
  const text = body.trim();
  return new ApiError({
    ...context,
    code,
    reason: REASON_BY_CODE[code] ?? 'Unknown',
    serverMessage: text.length > MAX_BODY_IN_MESSAGE ? `${text.slice(0, MAX_BODY_IN_MESSAGE)}...` : text,
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
