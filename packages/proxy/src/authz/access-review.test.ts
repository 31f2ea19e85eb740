import type { Transport, TransportRequest } from '@kates/core';
import { describe, expect, it } from 'vitest';
import { AccessReviews } from './access-review.js';

/** An API server that answers SubjectAccessReviews: `allowed(user)` decides. */
function reviewer(allowed: (spec: Record<string, unknown>) => boolean, status = 201) {
  const asked: Record<string, unknown>[] = [];
  const transport: Transport = {
    server: 'https://api.test',
    async request(req: TransportRequest) {
      const spec = JSON.parse(req.body ?? '{}').spec;
      asked.push(spec);
      await new Promise((r) => setTimeout(r, 5));
      const body =
        status === 201
          ? {
              kind: 'SubjectAccessReview',
              status: { allowed: allowed(spec), ...(allowed(spec) ? {} : { reason: 'no binding' }) },
            }
          : {
              kind: 'Status',
              code: status,
              message: 'subjectaccessreviews.authorization.k8s.io is forbidden',
            };
      return {
        status,
        headers: { 'content-type': 'application/json' },
        text: async () => JSON.stringify(body),
        async *lines() {},
      };
    },
  };
  return { transport, asked };
}

const pods = { verb: 'list', group: '', version: 'v1', resource: 'pods', namespace: 'shop' };

describe('access reviews', () => {
  it('ask the API server once per user and question while the answer is fresh, and share a question in flight', async () => {
    const { transport, asked } = reviewer((spec) => spec.user === 'alice');
    const reviews = new AccessReviews(transport);
    const alice = { username: 'alice', groups: ['dev'] };
    const answers = await Promise.all(Array.from({ length: 50 }, () => reviews.review(alice, pods)));
    expect(answers.every((a) => a.allowed)).toBe(true);
    expect(asked).toHaveLength(1);
    await reviews.review(alice, pods);
    await reviews.review({ username: 'alice', groups: ['dev'] }, pods);
    expect(asked).toHaveLength(1);
    expect(await reviews.review({ username: 'bob' }, pods)).toEqual({ allowed: false, reason: 'no binding' });
    await reviews.review(alice, { ...pods, verb: 'watch' });
    expect(asked).toHaveLength(3);
  });

  it('keep a denial for less time than an allowance', async () => {
    const { transport, asked } = reviewer((spec) => spec.user === 'alice');
    const reviews = new AccessReviews(transport, { allowedTtlMs: 10_000, deniedTtlMs: 30 });
    await reviews.review({ username: 'alice' }, pods);
    await reviews.review({ username: 'bob' }, pods);
    await new Promise((r) => setTimeout(r, 50));
    await reviews.review({ username: 'alice' }, pods);
    await reviews.review({ username: 'bob' }, pods);
    expect(asked.map((a) => a.user)).toEqual(['alice', 'bob', 'bob']);
  });

  it("send the user's groups and uid, and a list's selectors as raw selectors", async () => {
    const { transport, asked } = reviewer(() => true);
    const reviews = new AccessReviews(transport);
    await reviews.review(
      { username: 'alice', groups: ['dev', 'ops'], uid: 'u-1' },
      { ...pods, labelSelector: 'app=web', fieldSelector: 'spec.nodeName=n1' },
    );
    await reviews.review({ username: 'alice' }, { path: '/apis', verb: 'get' });
    expect(asked).toEqual([
      {
        user: 'alice',
        groups: ['dev', 'ops'],
        uid: 'u-1',
        resourceAttributes: {
          verb: 'list',
          group: '',
          version: 'v1',
          resource: 'pods',
          namespace: 'shop',
          labelSelector: { rawSelector: 'app=web' },
          fieldSelector: { rawSelector: 'spec.nodeName=n1' },
        },
      },
      { user: 'alice', nonResourceAttributes: { path: '/apis', verb: 'get' } },
    ]);
  });

  it('fail, saying what the proxy needs, when it may not ask; and ask again next time', async () => {
    const { transport, asked } = reviewer(() => true, 403);
    const reviews = new AccessReviews(transport);
    await expect(reviews.review({ username: 'alice' }, pods)).rejects.toThrow(
      /could not ask the API server whether alice may do this \(403\): subjectaccessreviews.authorization.k8s.io is forbidden; .*system:auth-delegator/,
    );
    await expect(reviews.review({ username: 'alice' }, pods)).rejects.toThrow();
    expect(asked).toHaveLength(2);
  });
});
