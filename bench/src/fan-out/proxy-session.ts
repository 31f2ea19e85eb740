import { parseMuxFrame, WATCH_MUX_PATH } from '@kates/core/internal';

/** A session's first complete view. */
export interface Bootstrap {
  /** From the first request to the last page read, ms. */
  readonly ms: number;
  readonly items: number;
  readonly resourceVersion: string;
  /** Bytes of list JSON read. */
  readonly bytes: number;
}

/**
 * One browser page in Node, speaking the proxy's protocols as the browser transport and the
 * reflector do: it lists a collection page by page (500 items, `resourceVersion=0` first), then
 * watches it from the list's version on its watch session (`/kates/watches`). It parses every
 * page and counts the items, and keeps none of them: fifty of these fit in one process, so the
 * proxy's process is measured alone.
 */
export class ProxySession {
  private readonly waiters = new Set<{ test: (line: string) => boolean; resolve: (at: number) => void }>();
  /** Watch lines received. */
  lines = 0;
  private nextId = 1;

  private constructor(
    private readonly base: string,
    private readonly id: string,
    private readonly abort: AbortController,
  ) {}

  /** Opens the page's watch session. */
  static async open(base: string): Promise<ProxySession> {
    const abort = new AbortController();
    const res = await fetch(`${base}${WATCH_MUX_PATH}`, { signal: abort.signal });
    if (res.status !== 200 || !res.body) throw new Error(`opening a watch session: ${res.status}`);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = '';
    let session: ProxySession | undefined;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the watch session ended before it was named');
      buffered += value;
      const nl = buffered.indexOf('\n');
      if (nl < 0) continue;
      const frame = parseMuxFrame(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
      if (frame?.type !== 'session') throw new Error('the proxy did not open a watch session');
      session = new ProxySession(base, frame.session, abort);
      break;
    }
    void session.pump(reader, buffered);
    return session;
  }

  /** Lists `path` page by page, then starts its watch from the list's version. */
  async bootstrap(path: string, query: Record<string, string> = {}, accept?: string): Promise<Bootstrap> {
    const t0 = performance.now();
    let items = 0;
    let bytes = 0;
    let token: string | undefined;
    let resourceVersion = '';
    const headers = accept ? { accept } : undefined;
    do {
      const q = new URLSearchParams({
        ...query,
        limit: '500',
        ...(token ? { continue: token } : { resourceVersion: '0' }),
      });
      const res = await fetch(`${this.base}${path}?${q}`, headers ? { headers } : {});
      const text = await res.text();
      if (res.status !== 200) throw new Error(`list ${path}: ${res.status} ${text.slice(0, 200)}`);
      bytes += text.length;
      const page = JSON.parse(text) as {
        metadata: { resourceVersion: string; continue?: string };
        items: unknown[];
      };
      items += page.items.length;
      resourceVersion = page.metadata.resourceVersion;
      token = page.metadata.continue || undefined;
    } while (token);
    const ms = performance.now() - t0;
    const watch = await fetch(`${this.base}${WATCH_MUX_PATH}/${this.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: this.nextId++,
        path,
        query: {
          ...query,
          watch: 'true',
          allowWatchBookmarks: 'true',
          resourceVersion,
          timeoutSeconds: '600',
        },
        ...(accept ? { accept: accept.replace('PartialObjectMetadataList', 'PartialObjectMetadata') } : {}),
      }),
    });
    await watch.text();
    if (watch.status !== 200) throw new Error(`watch ${path}: ${watch.status}`);
    return { ms, items, resourceVersion, bytes };
  }

  /** Resolves with the time (performance.now()) a watch line passing `test` arrives. */
  next(test: (line: string) => boolean): Promise<number> {
    return new Promise((resolve) => this.waiters.add({ test, resolve }));
  }

  close(): void {
    this.abort.abort();
  }

  private async pump(reader: ReadableStreamDefaultReader<string>, buffered: string): Promise<void> {
    try {
      for (;;) {
        let nl = buffered.indexOf('\n');
        while (nl >= 0) {
          const frame = parseMuxFrame(buffered.slice(0, nl));
          buffered = buffered.slice(nl + 1);
          if (frame?.type === 'line') {
            this.lines++;
            for (const w of this.waiters) {
              if (!w.test(frame.line)) continue;
              this.waiters.delete(w);
              w.resolve(performance.now());
            }
          }
          nl = buffered.indexOf('\n');
        }
        const { value, done } = await reader.read();
        if (done) return;
        buffered += value;
      }
    } catch {
      // closed
    }
  }
}
