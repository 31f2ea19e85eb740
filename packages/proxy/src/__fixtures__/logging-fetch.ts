import { WATCH_MUX_PATH } from '@kates/core/internal';

/** The browser's fetch, logging each request's method and path, with a switch that cuts the session streams. */
export function loggingFetch() {
  const log: string[] = [];
  const cuts: (() => void)[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    log.push(`${init?.method ?? 'GET'} ${url.pathname}${url.search}`);
    const res = await fetch(input, init);
    if (url.pathname !== WATCH_MUX_PATH || (init?.method ?? 'GET') !== 'GET' || !res.body) return res;
    // The session's stream, relayed so that the test can break it as a dropped connection would.
    const reader = res.body.getReader();
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
      },
      async pull(c) {
        const next = await reader.read().catch(() => ({ done: true as const, value: undefined }));
        if (next.done) c.close();
        else c.enqueue(next.value);
      },
      cancel: (reason) => reader.cancel(reason),
    });
    cuts.push(() => {
      controller.error(new Error('connection cut by the test'));
      void reader.cancel().catch(() => undefined);
    });
    return new Response(body, { status: res.status, headers: res.headers });
  };
  return {
    fetch: fetchImpl,
    log,
    breakStream() {
      for (const cut of cuts.splice(0)) cut();
    },
  };
}
