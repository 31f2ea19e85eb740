import type { ResourceType } from '../discovery/types.js';
import { apiErrorFromResponse } from '../errors/api-error.js';
import type { Transport, TransportRequest } from '../transport/types.js';

/** Names a resource as kubectl does: `deployments.apps`, or `services` for the core group. */
export function resourceName(rt: ResourceType): string {
  return rt.group ? `${rt.resource}.${rt.group}` : rt.resource;
}

/** What a request is, for its error message. */
export interface Call {
  readonly verb: string;
  readonly rt: ResourceType;
  readonly name?: string;
  readonly namespace?: string;
}

/**
 * Sends one request and parses the JSON answer. A non-2xx answer becomes an ApiError naming the
 * verb, resource, name and namespace.
 */
export async function send<T>(transport: Transport, req: TransportRequest, call: Call): Promise<T> {
  const res = await transport.request(req);
  const text = await res.text();
  if (res.status < 200 || res.status > 299) {
    throw apiErrorFromResponse(res.status, text, {
      verb: call.verb,
      resource: resourceName(call.rt),
      name: call.name,
      namespace: call.namespace,
    });
  }
  return JSON.parse(text) as T;
}
