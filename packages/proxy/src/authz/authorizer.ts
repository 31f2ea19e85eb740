import type { IncomingMessage } from 'node:http';
import type { Refusal } from '../guard.js';
import type { AccessReviews, UserInfo } from './access-review.js';
import { attributesOf, type NonResourceAttributes, type ResourceAttributes } from './request-attributes.js';

/**
 * Tells who makes a request: from an authenticating front's headers, a client certificate, a
 * session cookie. Undefined: nobody the proxy knows (401).
 */
export type Identify = (req: IncomingMessage) => UserInfo | undefined | Promise<UserInfo | undefined>;

/**
 * Serves each user only what they could read from the API server themselves: every request is
 * authorized for its user with a SubjectAccessReview (see {@link AccessReviews}) before the proxy
 * answers it, from its caches or from the API server.
 *
 * Why reviews and not impersonation: an impersonated request is authorized by the API server for
 * that user, so the proxy would need one list+watch per user and query, and the fan-out would
 * share nothing across users; and the right to impersonate is the right to act as anyone (writes
 * included), where the right to create SubjectAccessReviews is the right to ask a question.
 * As on the API server, a watch is authorized when it starts and runs to its timeout.
 */
export class Authorizer {
  constructor(
    private readonly identify: Identify,
    private readonly reviews: AccessReviews,
  ) {}

  /** The user of a request, or the 401 to answer. */
  async userOf(req: IncomingMessage): Promise<UserInfo | Refusal> {
    let user: UserInfo | undefined;
    try {
      user = await this.identify(req);
    } catch (e) {
      return unauthorized(`the kates proxy could not tell who you are: ${(e as Error).message}`);
    }
    if (!user?.username) return unauthorized('the kates proxy does not know who you are: sign in first');
    return user;
  }

  /** The 403 to answer when `user` may not make this request; undefined when allowed. */
  async check(
    user: UserInfo,
    method: string,
    pathname: string,
    params: URLSearchParams | Readonly<Record<string, string>>,
  ): Promise<Refusal | undefined> {
    const attributes = attributesOf(method, pathname, params);
    let decision: { allowed: boolean; reason?: string };
    try {
      decision = await this.reviews.review(user, attributes);
    } catch (e) {
      return forbidden((e as Error).message);
    }
    if (decision.allowed) return undefined;
    return forbidden(`${describe(user, attributes)}${decision.reason ? `: ${decision.reason}` : ''}`);
  }
}

/** The API server's words: `pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "shop"`. */
function describe(user: UserInfo, a: ResourceAttributes | NonResourceAttributes): string {
  if ('path' in a) return `forbidden: User "${user.username}" cannot ${a.verb} path "${a.path}"`;
  const qualified = a.group ? `${a.resource}.${a.group}` : a.resource;
  const what = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const where = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return (
    `${qualified}${a.name ? ` "${a.name}"` : ''} is forbidden: User "${user.username}" cannot ${a.verb} ` +
    `resource "${what}" in API group "${a.group}" ${where}`
  );
}

function forbidden(message: string): Refusal {
  return { code: 403, reason: 'Forbidden', message };
}

function unauthorized(message: string): Refusal {
  return { code: 401, reason: 'Unauthorized', message };
}
