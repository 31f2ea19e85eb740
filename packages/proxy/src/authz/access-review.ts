import type { Transport } from '@kates/core';
import type { NonResourceAttributes, ResourceAttributes } from './request-attributes.js';

/** Who a request comes from, as an authenticating front tells the proxy. */
export interface UserInfo {
  readonly username: string;
  readonly groups?: readonly string[];
  readonly uid?: string;
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/** The API server's decision. */
export interface AccessDecision {
  readonly allowed: boolean;
  /** Why, in the authorizer's words (RBAC says nothing when it denies). */
  readonly reason?: string;
}

/** How long decisions are kept. */
export interface AccessReviewOptions {
  /** An allowed decision (default 60 s): a revoked binding takes this long to take effect on new requests. */
  readonly allowedTtlMs?: number;
  /** A denied decision (default 10 s): a new binding takes this long to take effect. */
  readonly deniedTtlMs?: number;
  /** Decisions kept at most (default 10 000); the oldest go first. */
  readonly maxEntries?: number;
}

interface Entry {
  readonly decision: Promise<AccessDecision>;
  expires: number;
}

/**
 * Asks the API server whether a user may do something, with a SubjectAccessReview made with the
 * proxy's own credentials, and keeps the answer briefly: fifty sessions of one user watching the
 * same pods cost one review per minute, not fifty per page load. Requests for the same decision
 * while one is being asked share it. The proxy's user needs `create` on
 * `subjectaccessreviews.authorization.k8s.io` (the `system:auth-delegator` ClusterRole).
 *
 * A failed review (the API server unreachable, or the proxy not allowed to ask) denies, and is
 * not kept.
 */
export class AccessReviews {
  private readonly entries = new Map<string, Entry>();
  private readonly allowedTtlMs: number;
  private readonly deniedTtlMs: number;
  private readonly maxEntries: number;
  /** Reviews sent to the API server (for tests and benchmarks). */
  requests = 0;

  constructor(
    private readonly transport: Transport,
    options: AccessReviewOptions = {},
  ) {
    this.allowedTtlMs = options.allowedTtlMs ?? 60_000;
    this.deniedTtlMs = options.deniedTtlMs ?? 10_000;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /** Whether `user` may do what `attributes` say. */
  review(user: UserInfo, attributes: ResourceAttributes | NonResourceAttributes): Promise<AccessDecision> {
    const key = JSON.stringify([
      user.username,
      user.uid ?? '',
      [...(user.groups ?? [])].sort(),
      user.extra ?? {},
      attributes,
    ]);
    const now = Date.now();
    const held = this.entries.get(key);
    if (held && held.expires > now) return held.decision;
    if (held) this.entries.delete(key);
    const entry: Entry = { decision: this.ask(user, attributes), expires: Number.POSITIVE_INFINITY };
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    entry.decision.then(
      (d) => {
        entry.expires = Date.now() + (d.allowed ? this.allowedTtlMs : this.deniedTtlMs);
      },
      () => this.entries.delete(key),
    );
    return entry.decision;
  }

  private async ask(
    user: UserInfo,
    attributes: ResourceAttributes | NonResourceAttributes,
  ): Promise<AccessDecision> {
    this.requests++;
    const spec: Record<string, unknown> = {
      user: user.username,
      ...(user.groups?.length ? { groups: user.groups } : {}),
      ...(user.uid ? { uid: user.uid } : {}),
      ...(user.extra ? { extra: user.extra } : {}),
    };
    if ('path' in attributes) spec.nonResourceAttributes = { path: attributes.path, verb: attributes.verb };
    else {
      const { labelSelector, fieldSelector, ...rest } = attributes;
      spec.resourceAttributes = {
        ...rest,
        ...(labelSelector ? { labelSelector: { rawSelector: labelSelector } } : {}),
        ...(fieldSelector ? { fieldSelector: { rawSelector: fieldSelector } } : {}),
      };
    }
    const res = await this.transport.request({
      method: 'POST',
      path: '/apis/authorization.k8s.io/v1/subjectaccessreviews',
      body: JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec }),
      contentType: 'application/json',
      accept: 'application/json',
    });
    const text = await res.text();
    if (res.status !== 201 && res.status !== 200) {
      let message = text.slice(0, 300);
      try {
        message = JSON.parse(text).message ?? message;
      } catch {
        // not a Status: its start
      }
      throw new Error(
        `the kates proxy could not ask the API server whether ${user.username} may do this (${res.status}): ${message}; ` +
          'its kubeconfig user needs create on subjectaccessreviews.authorization.k8s.io (ClusterRole system:auth-delegator)',
      );
    }
    const status = (
      JSON.parse(text) as { status?: { allowed?: boolean; reason?: string; evaluationError?: string } }
    ).status;
    const reason = status?.reason || status?.evaluationError;
    return { allowed: status?.allowed === true, ...(reason ? { reason } : {}) };
  }
}
