import { describe, expect, it } from 'vitest';
import { createBrowserTransport } from './browser.js';
import { TransportError } from './types.js';

/** A fetch that answers from a list of body chunks and records what it was asked. */
function scriptedFetch(
  chunks: string[],
  init: { status?: number; headers?: Record<string, string>; failAt?: number } = {},
) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = async (url: string | URL | Request, options?: RequestInit) => {
    calls.push({ url: String(url), init: options ?? {} });
    const encoder = new TextEncoder();
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (init.failAt === i) controller.error(new Error('socket hang up'));
        else if (i < chunks.length) controller.enqueue(encoder.encode(chunks[i]));
        else controller.close();
        i++;
      },
    });
    return new Response(body, {
      status: init.status ?? 200,
      headers: init.headers ?? { 'Content-Type': 'application/json' },
    });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

describe('createBrowserTransport', () => {
  it('sends requests under the base URL with the query, and no credentials of its own', async () => {
    const { fetch, calls } = scriptedFetch(['{}']);
    const t = createBrowserTransport({ baseUrl: 'http://127.0.0.1:8001/', fetch });
    const res = await t.request({
      method: 'GET',
      path: '/api/v1/pods',
      query: { limit: 500, continue: undefined },
    });
    expect(await res.text()).toBe('{}');
    expect(res.headers['content-type']).toBe('application/json');
    expect(calls[0]!.url).toBe('http://127.0.0.1:8001/api/v1/pods?limit=500');
    expect(calls[0]!.init.credentials).toBe('same-origin');
    expect(calls[0]!.init.headers).toEqual({ accept: 'application/json' });
    expect(t.server).toBe('http://127.0.0.1:8001');
  });

  it('says a request is sent once fetch has it, before its answer comes', async () => {
    const events: string[] = [];
    let answer: (res: Response) => void = () => undefined;
    const fetch = ((url: string | URL | Request) => {
      events.push(`fetch ${String(url)}`);
      return new Promise<Response>((resolve) => {
        answer = resolve;
      });
    }) as typeof globalThis.fetch;
    const t = createBrowserTransport({ baseUrl: 'http://proxy.test', fetch });
    const pending = t.request({ method: 'GET', path: '/api/v1/pods', onSent: () => events.push('sent') });
    await expect.poll(() => events).toEqual(['fetch http://proxy.test/api/v1/pods', 'sent']);
    answer(new Response('{}'));
    expect(await (await pending).text()).toBe('{}');
  });

  it('yields watch lines as they arrive, across chunk boundaries', async () => {
    const { fetch } = scriptedFetch([
      '{"type":"ADDED","object":{"a":',
      '1}}\n{"type":"MOD',
      'IFIED"}\n\n',
      '{"last":true}',
    ]);
    const t = createBrowserTransport({ baseUrl: 'http://proxy.test', fetch });
    const res = await t.request({ method: 'GET', path: '/api/v1/pods', query: { watch: true } });
    const lines: string[] = [];
    for await (const line of res.lines()) lines.push(line);
    expect(lines).toEqual(['{"type":"ADDED","object":{"a":1}}', '{"type":"MODIFIED"}', '{"last":true}']);
  });

  it('turns a stream that breaks off into a TransportError naming the request', async () => {
    const { fetch } = scriptedFetch(['{"a":1}\n'], { failAt: 1 });
    const t = createBrowserTransport({ baseUrl: 'http://proxy.test', fetch });
    const res = await t.request({ method: 'GET', path: '/api/v1/pods', query: { watch: true } });
    const lines: string[] = [];
    const error = await (async () => {
      try {
        for await (const line of res.lines()) lines.push(line);
      } catch (e) {
        return e;
      }
    })();
    expect(lines).toEqual(['{"a":1}']);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toBe(
      'GET http://proxy.test/api/v1/pods: connection lost while reading the answer: ' + 'socket hang up',
    );
  });

  it('turns a refused connection into a TransportError, and sends JSON bodies with their type', async () => {
    const refused = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof globalThis.fetch;
    const t = createBrowserTransport({ baseUrl: 'http://proxy.test', fetch: refused });
    await expect(
      t.request({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: '{}' }),
    ).rejects.toThrow(
      'POST http://proxy.test/api/v1/namespaces/default/configmaps: request failed: Failed to fetch',
    );
    const { fetch, calls } = scriptedFetch(['{}'], { status: 201 });
    const ok = createBrowserTransport({ baseUrl: 'http://proxy.test', fetch });
    const res = await ok.request({
      method: 'PATCH',
      path: '/api/v1/namespaces/default/configmaps/x',
      body: '{}',
      contentType: 'application/merge-patch+json',
    });
    expect(res.status).toBe(201);
    expect(calls[0]!.init.headers).toEqual({
      accept: 'application/json',
      'content-type': 'application/merge-patch+json',
    });
  });

  it('stops reading when the watch is aborted', async () => {
    const abort = new AbortController();
    let cancelled = false;
    const fetch = (async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(c) {
            c.enqueue(new TextEncoder().encode('{"n":1}\n'));
          },
          cancel() {
            cancelled = true;
          },
        }),
      )) as typeof globalThis.fetch;
    const t = createBrowserTransport({ baseUrl: 'http://proxy.test', fetch });
    const res = await t.request({
      method: 'GET',
      path: '/api/v1/pods',
      query: { watch: true },
      signal: abort.signal,
    });
    for await (const line of res.lines()) {
      expect(line).toBe('{"n":1}');
      break;
    }
    expect(cancelled).toBe(true);
  });
});
