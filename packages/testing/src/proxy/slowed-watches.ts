import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import {
  createServer,
  type Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  Agent as PlainAgent,
  type ServerResponse,
} from 'node:http';
import { request as httpsRequest, Agent as TlsAgent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { isWatchRequest, splitLines } from '@kates/core/internal';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { LineSchedule, type SlowedWatchRule, watchedCollection } from './watch-delay.js';

/** Options of {@link startSlowedWatches}. */
export interface SlowedWatchesOptions {
  /**
   * The API server, as a kubeconfig (its current context): a path, or anything with a
   * `kubeconfigPath` (a `TestTarget`, a `Cluster`, a `FakeApiServer`). Its user must authenticate
   * with a bearer token, which passes through the proxy unread.
   */
  readonly target: string | { readonly kubeconfigPath: string };
  /** What to slow down at first; change it with `setRules`. */
  readonly rules?: readonly SlowedWatchRule[];
  /** Where to write the kubeconfig that goes through the proxy (a temporary file by default). */
  readonly kubeconfigOut?: string;
}

/** What the proxy has done, for test reports and assertions that the slowing took place. */
export interface SlowedWatchesCounters {
  /** Watch streams relayed (line by line, so that rules set later apply to them too). */
  watches: number;
  /** Lines relayed on those streams. */
  lines: number;
  /** Lines a rule slowed down. */
  slowed: number;
}

/** An HTTP proxy in front of an API server that delays chosen watch events. */
export interface SlowedWatches {
  /** A kubeconfig like the target's, whose server is the proxy: give it to `createClient`. */
  readonly kubeconfigPath: string;
  /** The proxy's URL (`http://127.0.0.1:PORT`). */
  readonly url: string;
  readonly counters: Readonly<SlowedWatchesCounters>;
  /** Lines received and not yet sent on, over all streams. */
  readonly held: number;
  /** Replaces the rules; lines already held keep their time. */
  setRules(rules: readonly SlowedWatchRule[]): void;
  /** Resolves when no line is held (at once if none is). */
  drained(): Promise<void>;
  /** Closes every stream and the listener. */
  stop(): Promise<void>;
}

/** Headers of one hop, never relayed (RFC 9110 section 7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'host',
]);

function relayed(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  return out;
}

interface Upstream {
  readonly url: URL;
  readonly agent: HttpAgent;
  readonly request: typeof httpRequest;
}

type Yaml = Record<string, unknown> & {
  'current-context'?: string;
  contexts?: { name: string; context: { cluster: string; user: string } }[];
  clusters?: { name: string; cluster: Record<string, unknown> }[];
  users?: { name: string; user: Record<string, unknown> }[];
};

/**
 * Reads the target's current cluster (server and trust), refusing users that authenticate with a
 * client certificate: TLS ends at the proxy, so a certificate could not reach the API server.
 */
function readTarget(kubeconfigPath: string): { config: Yaml; clusterName: string; upstream: Upstream } {
  const where = `kubeconfig ${kubeconfigPath}`;
  const config = parseYaml(readFileSync(kubeconfigPath, 'utf8')) as Yaml;
  const context = config.contexts?.find((c) => c.name === config['current-context'])?.context;
  if (!context) throw new Error(`slowed watches: ${where} has no current context; set current-context`);
  const cluster = config.clusters?.find((c) => c.name === context.cluster)?.cluster;
  if (!cluster || typeof cluster.server !== 'string')
    throw new Error(`slowed watches: ${where} names cluster "${context.cluster}", which it does not define`);
  const user = config.users?.find((u) => u.name === context.user)?.user ?? {};
  if (user['client-certificate'] || user['client-certificate-data'])
    throw new Error(
      `slowed watches: the user "${context.user}" of ${where} authenticates with a client certificate, ` +
        'which cannot pass through an HTTP proxy; use a user with a bearer token',
    );
  const url = new URL(cluster.server);
  const caFile = cluster['certificate-authority'];
  const ca =
    typeof cluster['certificate-authority-data'] === 'string'
      ? Buffer.from(cluster['certificate-authority-data'], 'base64')
      : typeof caFile === 'string'
        ? readFileSync(resolve(dirname(kubeconfigPath), caFile))
        : undefined;
  const tls = url.protocol === 'https:';
  const agent = tls
    ? new TlsAgent({
        keepAlive: true,
        ...(ca ? { ca } : {}),
        rejectUnauthorized: cluster['insecure-skip-tls-verify'] !== true,
      })
    : new PlainAgent({ keepAlive: true });
  return {
    config,
    clusterName: context.cluster,
    upstream: { url, agent, request: tls ? httpsRequest : httpRequest },
  };
}

/** The target's kubeconfig with its current cluster pointed at the proxy (plain http on loopback). */
function writeProxiedKubeconfig(config: Yaml, clusterName: string, proxyUrl: string, out: string): void {
  const clusters = (config.clusters ?? []).map((c) => {
    if (c.name !== clusterName) return c;
    const {
      'certificate-authority': _file,
      'certificate-authority-data': _data,
      'tls-server-name': _name,
      ...rest
    } = c.cluster;
    // client-node refuses an http server unless TLS verification is (vacuously) off.
    return { name: c.name, cluster: { ...rest, server: proxyUrl, 'insecure-skip-tls-verify': true } };
  });
  writeFileSync(out, stringifyYaml({ ...config, clusters }), { mode: 0o600 });
}

/**
 * Starts an HTTP proxy on loopback in front of an API server (the real kube-apiserver or the fake
 * one) that delays the events of chosen watches, the way Go kates' tests slowed their watches with
 * the `watchAdded`/`watchUpdated`/`watchDeleted` hooks. Every other request, and every watch no
 * rule names, is relayed untouched.
 *
 * It works at the HTTP level, not in the TCP fault proxy: the real API server speaks TLS, which
 * the fault proxy passes through unread, while slowing chosen events needs the watch lines. So the
 * client speaks plain HTTP to this proxy, and the proxy speaks to the API server as the
 * kubeconfig says (TLS with its CA); the bearer token passes through. To combine both kinds of
 * fault, put the fault proxy behind this one.
 *
 * ```ts
 * const slowed = await startSlowedWatches({
 *   target: await testTarget(),
 *   rules: [{ resource: 'configmaps', name: 'x', delayMs: 5000 }],
 * });
 * const client = createClient({ kubeconfig: slowed.kubeconfigPath });
 * ```
 */
export async function startSlowedWatches(options: SlowedWatchesOptions): Promise<SlowedWatches> {
  const targetPath = typeof options.target === 'string' ? options.target : options.target.kubeconfigPath;
  const { config, clusterName, upstream } = readTarget(targetPath);
  let rules: readonly SlowedWatchRule[] = options.rules ?? [];
  const counters: SlowedWatchesCounters = { watches: 0, lines: 0, slowed: 0 };
  const streams = new Set<{ held: () => number; close: () => void }>();
  let drainWaiters: (() => void)[] = [];
  const held = () => [...streams].reduce((n, s) => n + s.held(), 0);
  const checkDrained = () => {
    if (held() > 0) return;
    const waiters = drainWaiters;
    drainWaiters = [];
    for (const w of waiters) w();
  };

  /** Relays a watch answer line by line, each line at the time its schedule says, in order. */
  const relayLines = (up: IncomingMessage, res: ServerResponse, schedule: LineSchedule) => {
    counters.watches++;
    const queue: { line: string; at: number }[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    let ended: 'clean' | 'broken' | undefined;
    let done = false;
    const stream = {
      held: () => queue.length,
      close: () => {
        if (done) return;
        done = true;
        queue.length = 0;
        if (timer) clearTimeout(timer);
        streams.delete(stream);
        up.destroy();
        res.destroy();
        checkDrained();
      },
    };
    streams.add(stream);
    const pump = () => {
      timer = undefined;
      if (done) return;
      const now = Date.now();
      while (queue.length > 0 && queue[0]!.at <= now) res.write(`${queue.shift()!.line}\n`);
      if (queue.length > 0) {
        timer = setTimeout(pump, queue[0]!.at - now);
        return;
      }
      // The server's end (or break) reaches the client after the lines it sent before it.
      if (ended === 'clean') {
        done = true;
        streams.delete(stream);
        res.end();
      } else if (ended === 'broken') stream.close();
      checkDrained();
    };
    // The client left: the watch ends upstream too.
    res.on('close', () => stream.close());
    void (async () => {
      try {
        for await (const line of splitLines(up)) {
          if (done) return;
          const { at, slowed } = schedule.due(line, Date.now());
          counters.lines++;
          if (slowed) counters.slowed++;
          queue.push({ line, at });
          if (!timer) pump();
        }
        ended = 'clean';
      } catch {
        ended = 'broken';
      }
      if (!timer) pump();
    })();
  };

  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    const url = new URL(path, upstream.url);
    const watch = isWatchRequest({ path: url.pathname, query: Object.fromEntries(url.searchParams) })
      ? watchedCollection(url.pathname)
      : undefined;
    const up = upstream.request(
      url,
      {
        method: req.method,
        headers: {
          ...relayed(req.headers),
          host: upstream.url.host,
          // The real API server gzips some watch answers (streaming lists) when asked to; the
          // proxy reads the lines, so it asks for them plain.
          ...(watch ? { 'accept-encoding': 'identity' } : {}),
        },
        agent: upstream.agent,
      },
      (answer) => {
        const headers = relayed(answer.headers);
        if (watch && answer.statusCode === 200) {
          delete headers['content-length'];
          res.writeHead(200, headers);
          // The client waits for the status line before it counts the watch as open.
          res.flushHeaders();
          relayLines(answer, res, new LineSchedule(watch, () => rules));
          return;
        }
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
        res.on('close', () => answer.destroy());
      },
    );
    up.on('error', (e) => {
      if (res.headersSent) res.destroy();
      else {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Failure',
            message: `slowed-watch proxy: the API server at ${upstream.url.origin} is unreachable: ${e.message}`,
            reason: 'ServiceUnavailable',
            code: 502,
          }),
        );
      }
    });
    req.on('error', () => up.destroy());
    req.pipe(up);
  });
  // Watches are long requests: no server-side timeouts.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  server.timeout = 0;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const proxyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kubeconfigPath =
    options.kubeconfigOut ?? join(mkdtempSync(join(tmpdir(), 'kates-slowed-')), 'kubeconfig');
  writeProxiedKubeconfig(config, clusterName, proxyUrl, kubeconfigPath);

  return {
    kubeconfigPath,
    url: proxyUrl,
    counters,
    get held() {
      return held();
    },
    setRules(next) {
      rules = next;
    },
    drained() {
      if (held() === 0) return Promise.resolve();
      return new Promise((r) => drainWaiters.push(r));
    },
    async stop() {
      for (const s of [...streams]) s.close();
      streams.clear();
      checkDrained();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      upstream.agent.destroy();
    },
  };
}
