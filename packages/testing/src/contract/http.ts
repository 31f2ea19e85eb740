import { readFileSync } from 'node:fs';
import { Agent, fetch } from 'undici';
import { parse as parseYaml } from 'yaml';

/** An answer, read whole. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: contract tests read arbitrary JSON
  readonly body: any;
}

/** One parsed watch line (or, for a line that is not JSON, the raw text). */
export interface WatchLine {
  readonly type: string;
  // biome-ignore lint/suspicious/noExplicitAny: watch objects are arbitrary JSON
  readonly object: any;
  readonly raw: string;
}

/** An open watch: its events as they arrive. */
export interface WatchConnection {
  readonly status: number;
  readonly headers: Headers;
  readonly lines: WatchLine[];
  /** Resolves when the server ends the stream (cleanly or not). */
  readonly ended: Promise<void>;
  /** Waits until `predicate` holds for the lines so far; rejects after `timeoutMs` naming what it saw. */
  until(predicate: (lines: WatchLine[]) => boolean, timeoutMs?: number): Promise<WatchLine[]>;
  close(): void;
}

/** An answer whose body is bytes (protobuf), read whole. */
export interface BytesAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Buffer;
}

/** An open watch in protobuf: its length-delimited frames (each a `metav1.WatchEvent`) as they arrive. */
export interface FrameConnection {
  readonly status: number;
  readonly headers: Headers;
  readonly frames: Buffer[];
  /** Waits until `count` frames arrived; rejects after `timeoutMs`. */
  until(count: number, timeoutMs?: number): Promise<Buffer[]>;
  close(): void;
}

export interface RequestOptions {
  /** JSON-serialized unless a string. */
  readonly body?: unknown;
  readonly contentType?: string;
  readonly accept?: string;
  /** Overrides the bearer token (for 401 tests). */
  readonly token?: string;
}

/**
 * The contract suite's only way to talk to a server: plain HTTP with undici, configured from a
 * kubeconfig (server, CA or insecure-skip-tls-verify, bearer token). Deliberately not
 * @kubernetes/client-node and not kates' own client, so the contract tests the servers alone.
 */
export class ContractHttp {
  private readonly agent: Agent;
  readonly server: string;
  private readonly token: string;

  constructor(kubeconfigPath: string) {
    const config = parseYaml(readFileSync(kubeconfigPath, 'utf8'));
    const contextName = config['current-context'];
    const context = config.contexts.find((c: { name: string }) => c.name === contextName).context;
    const cluster = config.clusters.find((c: { name: string }) => c.name === context.cluster).cluster;
    const user = config.users.find((u: { name: string }) => u.name === context.user).user;
    this.server = cluster.server;
    this.token = user.token;
    const ca = cluster['certificate-authority-data']
      ? Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8')
      : undefined;
    this.agent = new Agent({
      connect: ca ? { ca } : { rejectUnauthorized: !cluster['insecure-skip-tls-verify'] },
    });
  }

  private init(method: string, opts: RequestOptions, signal?: AbortSignal) {
    const headers: Record<string, string> = {
      authorization: `Bearer ${opts.token ?? this.token}`,
      accept: opts.accept ?? 'application/json',
      'user-agent': 'kates-contract/1.0',
    };
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['content-type'] = opts.contentType ?? 'application/json';
    }
    return { method, headers, body, dispatcher: this.agent, signal };
  }

  async request(method: string, path: string, opts: RequestOptions = {}): Promise<HttpAnswer> {
    const res = await fetch(`${this.server}${path}`, this.init(method, opts));
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: res.status, headers: res.headers as unknown as Headers, text, body };
  }

  /** A request whose body and answer are bytes (protobuf); `accept` as given, JSON by default. */
  async requestBytes(
    method: string,
    path: string,
    opts: { readonly body?: Uint8Array; readonly contentType?: string; readonly accept?: string } = {},
  ): Promise<BytesAnswer> {
    const init = this.init(method, { accept: opts.accept ?? 'application/json' });
    const headers: Record<string, string> = { ...init.headers };
    if (opts.body) headers['content-type'] = opts.contentType ?? 'application/json';
    const res = await fetch(`${this.server}${path}`, { ...init, headers, body: opts.body });
    const bytes = Buffer.from(await res.arrayBuffer());
    return { status: res.status, headers: res.headers as unknown as Headers, bytes };
  }

  /** Opens a watch (`?watch=1` is added) answered in length-delimited frames, and collects them. */
  async watchFrames(path: string, query: Record<string, string>, accept: string): Promise<FrameConnection> {
    const controller = new AbortController();
    const qs = new URLSearchParams({ watch: '1', ...query }).toString();
    const res = await fetch(`${this.server}${path}?${qs}`, this.init('GET', { accept }, controller.signal));
    const frames: Buffer[] = [];
    const waiters = new Set<() => void>();
    let done = false;
    void (async () => {
      let buffered = Buffer.alloc(0);
      try {
        for await (const chunk of res.body ?? []) {
          buffered = Buffer.concat([buffered, chunk as Uint8Array]);
          while (buffered.length >= 4 && buffered.length >= 4 + buffered.readUInt32BE(0)) {
            frames.push(buffered.subarray(4, 4 + buffered.readUInt32BE(0)));
            buffered = buffered.subarray(4 + buffered.readUInt32BE(0));
          }
          for (const w of waiters) w();
        }
      } catch {
        // aborted or cut: the stream ended
      } finally {
        done = true;
        for (const w of waiters) w();
      }
    })();
    return {
      status: res.status,
      headers: res.headers as unknown as Headers,
      frames,
      until(count, timeoutMs = 10_000) {
        return new Promise((resolve, reject) => {
          const check = () => {
            if (frames.length < count && !done) return;
            waiters.delete(check);
            clearTimeout(timer);
            if (frames.length >= count) resolve(frames);
            else reject(new Error(`the watch ended after ${frames.length} of ${count} frames`));
          };
          const timer = setTimeout(() => {
            waiters.delete(check);
            reject(new Error(`timed out after ${timeoutMs} ms with ${frames.length} of ${count} frames`));
          }, timeoutMs);
          waiters.add(check);
          check();
        });
      },
      close: () => controller.abort(),
    };
  }

  get(path: string, opts?: RequestOptions) {
    return this.request('GET', path, opts);
  }
  post(path: string, body: unknown, opts?: RequestOptions) {
    return this.request('POST', path, { ...opts, body });
  }
  put(path: string, body: unknown, opts?: RequestOptions) {
    return this.request('PUT', path, { ...opts, body });
  }
  patch(path: string, contentType: string, body: unknown, opts?: RequestOptions) {
    return this.request('PATCH', path, { ...opts, body, contentType });
  }
  delete(path: string, body?: unknown) {
    return this.request('DELETE', path, body === undefined ? {} : { body });
  }

  /** Opens a watch (`?watch=1` is added) and collects its lines as they arrive. */
  async watch(
    path: string,
    query: Record<string, string>,
    opts: Pick<RequestOptions, 'accept'> = {},
  ): Promise<WatchConnection> {
    const controller = new AbortController();
    const qs = new URLSearchParams({ watch: '1', ...query }).toString();
    const res = await fetch(`${this.server}${path}?${qs}`, this.init('GET', opts, controller.signal));
    const lines: WatchLine[] = [];
    const waiters = new Set<() => void>();
    const notify = () => {
      for (const w of waiters) w();
    };
    const ended = (async () => {
      if (!res.body) return;
      const decoder = new TextDecoder();
      let buffered = '';
      try {
        for await (const chunk of res.body) {
          buffered += decoder.decode(chunk as Uint8Array, { stream: true });
          let nl = buffered.indexOf('\n');
          while (nl >= 0) {
            const raw = buffered.slice(0, nl).trim();
            buffered = buffered.slice(nl + 1);
            if (raw) lines.push(parseLine(raw));
            nl = buffered.indexOf('\n');
          }
          notify();
        }
        if (buffered.trim()) lines.push(parseLine(buffered.trim()));
      } catch {
        // aborted or cut: the stream ended
      } finally {
        notify();
      }
    })();
    let done = false;
    void ended.then(() => {
      done = true;
      notify();
    });
    return {
      status: res.status,
      headers: res.headers as unknown as Headers,
      lines,
      ended,
      until(predicate, timeoutMs = 10_000) {
        return new Promise((resolve, reject) => {
          const check = () => {
            if (predicate(lines)) {
              waiters.delete(check);
              clearTimeout(timer);
              resolve(lines);
            } else if (done) {
              waiters.delete(check);
              clearTimeout(timer);
              reject(new Error(`the watch ended first; lines: ${describe(lines)}`));
            }
          };
          const timer = setTimeout(() => {
            waiters.delete(check);
            reject(new Error(`timed out after ${timeoutMs} ms; lines: ${describe(lines)}`));
          }, timeoutMs);
          waiters.add(check);
          check();
        });
      },
      close: () => controller.abort(),
    };
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

function parseLine(raw: string): WatchLine {
  try {
    const parsed = JSON.parse(raw);
    return { type: parsed.type, object: parsed.object, raw };
  } catch {
    return { type: 'UNPARSABLE', object: undefined, raw };
  }
}

/** `ADDED a@12, MODIFIED a@13`: lines shortened for failure messages. */
export function describe(lines: readonly WatchLine[]): string {
  return (
    lines
      .map((l) => `${l.type} ${l.object?.metadata?.name ?? ''}@${l.object?.metadata?.resourceVersion ?? ''}`)
      .join(', ') || '(none)'
  );
}
