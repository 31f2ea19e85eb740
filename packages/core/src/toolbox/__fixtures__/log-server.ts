import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from '../../model/kinds.js';

/**
 * A local HTTP server that speaks the three endpoints `podLogs` uses, the way kube-apiserver and
 * a kubelet answer them: GET a pod, watch a pod by name, and stream a container's log
 * (`?container=&follow=&timestamps=`). The real test cluster has no kubelet, so this is where
 * log streaming itself is tested. It checks the bearer token of every request.
 */
export interface LogServer {
  readonly kubeconfigPath: string;
  readonly token: string;
  /** Every request: path, query and whether its bearer token was right. */
  readonly requests: { path: string; query: URLSearchParams; authorized: boolean }[];
  addPod(pod: Pod, options?: { failContainers?: Record<string, { code: number; message: string }> }): void;
  /** Writes a line to a container's log (and to its open streams). */
  log(name: string, container: string, message: string): void;
  /** Marks a container terminated and ends its open streams, as a kubelet does when it exits. */
  exit(name: string, container: string): void;
  /** Deletes a pod; `keepStreams` leaves its log streams open, as a kubelet that is gone would. */
  deletePod(name: string, options?: { keepStreams?: boolean }): void;
  /** Cuts the open log streams of a container without ending them cleanly. */
  breakStreams(name: string, container: string): void;
  /** Open log streams. */
  openStreams(): number;
  /** Open watches. */
  openWatches(): number;
  stop(): Promise<void>;
}

interface PodEntry {
  pod: Pod;
  lines: Map<string, string[]>;
  streams: Map<string, Set<ServerResponse>>;
  fail: Record<string, { code: number; message: string }>;
}

let tick = 0;
/** An RFC 3339 timestamp with nanoseconds, as the kubelet writes them, always increasing. */
function timestamp(): string {
  tick++;
  return new Date()
    .toISOString()
    .replace(/\.(\d{3})Z$/, (_m, ms: string) => `.${ms}${String(tick % 1e6).padStart(6, '0')}Z`);
}

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code }));
}

export async function startLogServer(namespace: string): Promise<LogServer> {
  const token = `t-${Math.random().toString(36).slice(2)}`;
  const pods = new Map<string, PodEntry>();
  const watches = new Map<string, Set<ServerResponse>>();
  const requests: LogServer['requests'] = [];
  const allStreams = new Set<ServerResponse>();
  let resourceVersion = 1;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const authorized = req.headers.authorization === `Bearer ${token}`;
    requests.push({ path: url.pathname, query: url.searchParams, authorized });
    if (!authorized) return status(res, 401, 'Unauthorized', 'Unauthorized');
    const base = `/api/v1/namespaces/${namespace}/pods`;
    if (url.pathname === base && url.searchParams.get('watch') === 'true') {
      const name = url.searchParams.get('fieldSelector')?.replace('metadata.name=', '') ?? '';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      const set = watches.get(name) ?? new Set<ServerResponse>();
      watches.set(name, set);
      set.add(res);
      res.on('close', () => set.delete(res));
      return;
    }
    const m = /^\/api\/v1\/namespaces\/[^/]+\/pods\/([^/]+)(\/log)?$/.exec(url.pathname);
    const entry = m ? pods.get(decodeURIComponent(m[1] as string)) : undefined;
    if (!m || !entry) return status(res, 404, 'NotFound', `pods "${m?.[1] ?? ''}" not found`);
    if (!m[2]) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(entry.pod));
    }
    const container = url.searchParams.get('container') ?? '';
    const failure = entry.fail[container];
    if (failure)
      return status(res, failure.code, failure.code >= 500 ? 'InternalError' : 'BadRequest', failure.message);
    const lines = entry.lines.get(container);
    if (!lines)
      return status(
        res,
        400,
        'BadRequest',
        `container ${container} is not valid for pod ${entry.pod.metadata?.name}`,
      );
    const stamped = url.searchParams.get('timestamps') === 'true';
    res.writeHead(200, { 'content-type': 'text/plain' });
    const tail = Number(url.searchParams.get('tailLines') ?? lines.length);
    for (const line of lines.slice(Math.max(0, lines.length - tail)))
      res.write(stamped ? `${line}\n` : `${line.slice(line.indexOf(' ') + 1)}\n`);
    const terminated = entry.pod.status?.containerStatuses?.find((c) => c.name === container)?.state
      ?.terminated;
    if (url.searchParams.get('follow') !== 'true' || terminated) return res.end();
    res.flushHeaders();
    const set = entry.streams.get(container) ?? new Set<ServerResponse>();
    entry.streams.set(container, set);
    set.add(res);
    allStreams.add(res);
    res.on('close', () => {
      set.delete(res);
      allStreams.delete(res);
    });
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const kubeconfigPath = join(tmpdir(), `kates-log-server-${port}.yaml`);
  writeFileSync(
    kubeconfigPath,
    `apiVersion: v1
kind: Config
clusters: [{name: logs, cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: ${token}}}]
contexts: [{name: logs, context: {cluster: logs, user: u, namespace: ${namespace}}}]
current-context: logs
`,
  );

  const entryOf = (name: string) => {
    const entry = pods.get(name);
    if (!entry) throw new Error(`log server: no pod ${name}`);
    return entry;
  };
  const sendWatch = (name: string, type: string, pod: Pod) => {
    for (const res of watches.get(name) ?? []) res.write(`${JSON.stringify({ type, object: pod })}\n`);
  };

  return {
    kubeconfigPath,
    token,
    requests,
    addPod(pod, options = {}) {
      const name = pod.metadata?.name ?? '';
      const withMeta: Pod = {
        ...pod,
        metadata: {
          ...pod.metadata,
          namespace,
          uid: `uid-${name}-${resourceVersion}`,
          resourceVersion: String(resourceVersion++),
        },
      };
      const lines = new Map((pod.spec?.containers ?? []).map((c) => [c.name, [] as string[]]));
      pods.set(name, { pod: withMeta, lines, streams: new Map(), fail: options.failContainers ?? {} });
      sendWatch(name, 'ADDED', withMeta);
    },
    log(name, container, message) {
      const entry = entryOf(name);
      const line = `${timestamp()} ${message}`;
      entry.lines.get(container)?.push(line);
      for (const res of entry.streams.get(container) ?? []) res.write(`${line}\n`);
    },
    exit(name, container) {
      const entry = entryOf(name);
      const statuses = (entry.pod.status?.containerStatuses ?? []).map((c) =>
        c.name === container ? { ...c, state: { terminated: { exitCode: 0, reason: 'Completed' } } } : c,
      );
      entry.pod = {
        ...entry.pod,
        metadata: { ...entry.pod.metadata, resourceVersion: String(resourceVersion++) },
        status: { ...entry.pod.status, containerStatuses: statuses },
      } as Pod;
      sendWatch(name, 'MODIFIED', entry.pod);
      for (const res of entry.streams.get(container) ?? []) res.end();
    },
    deletePod(name, options = {}) {
      const entry = entryOf(name);
      pods.delete(name);
      sendWatch(name, 'DELETED', {
        ...entry.pod,
        metadata: { ...entry.pod.metadata, resourceVersion: String(resourceVersion++) },
      });
      if (!options.keepStreams) for (const set of entry.streams.values()) for (const res of set) res.end();
    },
    breakStreams(name, container) {
      for (const res of entryOf(name).streams.get(container) ?? []) res.socket?.destroy();
    },
    openStreams: () => allStreams.size,
    openWatches: () => [...watches.values()].reduce((n, s) => n + s.size, 0),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(kubeconfigPath, { force: true });
    },
  };
}

/** A running pod with the given containers, as the kubelet would report it. */
export function runningPod(name: string, containers: readonly string[]): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { nodeName: 'node-1', containers: containers.map((c) => ({ name: c, image: 'busybox' })) },
    status: {
      phase: 'Running',
      containerStatuses: containers.map((c) => ({
        name: c,
        image: 'busybox',
        imageID: '',
        ready: true,
        restartCount: 0,
        state: { running: { startedAt: new Date().toISOString() } },
      })),
    },
  };
}
