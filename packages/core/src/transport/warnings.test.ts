import { describe, expect, it } from 'vitest';
import type { Transport, TransportResponse } from './types.js';
import { logWarningsOnce, parseWarningHeader, withWarnings } from './warnings.js';

function answering(warning: string | undefined): Transport & { closed: number; stats(): number } {
  let closed = 0;
  return {
    server: 'https://example.test',
    async request(): Promise<TransportResponse> {
      return {
        status: 200,
        headers: warning === undefined ? {} : { warning },
        text: async () => '{}',
        lines: async function* () {},
      };
    },
    close() {
      closed++;
    },
    get closed() {
      return closed;
    },
    stats: () => 42,
  };
}

describe('parseWarningHeader', () => {
  it('reads the text of one warning', () => {
    expect(parseWarningHeader('299 - "unknown field \\"spec.replica\\""')).toEqual([
      'unknown field "spec.replica"',
    ]);
  });

  it('splits warnings joined by commas, but not at a comma inside a text', () => {
    expect(
      parseWarningHeader(
        '299 - "batch/v1beta1 CronJob is deprecated in v1.21+, unavailable in v1.25+", 299 - "second"',
      ),
    ).toEqual(['batch/v1beta1 CronJob is deprecated in v1.21+, unavailable in v1.25+', 'second']);
  });

  it('accepts an agent name and a date after the text', () => {
    expect(parseWarningHeader('299 kube-apiserver "one" "Wed, 21 Oct 2015 07:28:00 GMT"')).toEqual(['one']);
  });

  it('returns nothing for a header that is not a warning', () => {
    expect(parseWarningHeader('garbage')).toEqual([]);
    expect(parseWarningHeader('')).toEqual([]);
  });
});

describe('withWarnings', () => {
  it('hands each warning of an answer to the handler, with the request it came with', async () => {
    const seen: unknown[] = [];
    const t = withWarnings(answering('299 - "a", 299 - "b"'), (w) => seen.push(w));
    await t.request({ method: 'POST', path: '/api/v1/namespaces/x/configmaps' });
    expect(seen).toEqual([
      { text: 'a', method: 'POST', path: '/api/v1/namespaces/x/configmaps' },
      { text: 'b', method: 'POST', path: '/api/v1/namespaces/x/configmaps' },
    ]);
  });

  it('calls nothing when an answer has no warning', async () => {
    let calls = 0;
    const t = withWarnings(answering(undefined), () => calls++);
    await t.request({ method: 'GET', path: '/api' });
    expect(calls).toBe(0);
  });

  it('does not fail a request whose warning handler throws', async () => {
    const t = withWarnings(answering('299 - "a"'), () => {
      throw new Error('handler bug');
    });
    await expect(t.request({ method: 'GET', path: '/api' })).resolves.toMatchObject({ status: 200 });
  });

  it("keeps the rest of the transport its own: server, close and a Node transport's stats", () => {
    const inner = answering(undefined);
    const t = withWarnings(inner, () => {});
    expect(t.server).toBe('https://example.test');
    expect(t.stats()).toBe(42);
    t.close?.();
    expect(inner.closed).toBe(1);
  });
});

describe('logWarningsOnce', () => {
  it('writes each distinct warning once, naming the request', () => {
    const lines: string[] = [];
    const log = logWarningsOnce((l) => lines.push(l));
    log({ text: 'deprecated', method: 'GET', path: '/apis/batch/v1beta1/cronjobs' });
    log({ text: 'deprecated', method: 'GET', path: '/apis/batch/v1beta1/cronjobs' });
    log({ text: 'other', method: 'PUT', path: '/api/v1/namespaces/a/configmaps/b' });
    expect(lines).toEqual([
      'kates: the API server warns (GET /apis/batch/v1beta1/cronjobs): deprecated',
      'kates: the API server warns (PUT /api/v1/namespaces/a/configmaps/b): other',
    ]);
  });
});
