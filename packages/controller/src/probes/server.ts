import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { ProbeKind, ProbeReport, Probes } from './probes.js';

/** Options of {@link startProbeServer}. */
export interface ProbeServerOptions {
  /** Serves `/metrics` from this registry, when given. */
  readonly registry?: Registry;
  /** Serves `/healthz` (also as `/livez`) and `/readyz` from these checks, when given. */
  readonly probes?: Probes;
  /**
   * Where to listen (default `127.0.0.1`). Loopback by default, so that nothing is exposed by
   * accident; in a pod, the kubelet and Prometheus reach the pod IP: set `0.0.0.0` there.
   */
  readonly host?: string;
  /** The port (default 8080; 0 for any free port). */
  readonly port?: number;
}

/** A running metrics and probe server. */
export interface ProbeServer {
  /** `http://host:port`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const KINDS: Readonly<Record<string, ProbeKind>> = { healthz: 'healthz', livez: 'healthz', readyz: 'readyz' };

function send(
  res: ServerResponse,
  status: number,
  body: string,
  contentType = 'text/plain; charset=utf-8',
): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

/** The body of a probe answer, in kube-apiserver's format: `[+]name ok` / `[-]name failed: why`. */
export function formatProbe(kind: ProbeKind, report: ProbeReport, verbose: boolean): string {
  if (report.ok && !verbose) return 'ok';
  const lines = report.checks.map((c) =>
    c.ok ? `[+]${c.name} ok` : `[-]${c.name} failed: ${verbose ? c.message : 'reason withheld'}`,
  );
  lines.push(report.ok ? `${kind} check passed` : `${kind} check failed`);
  return `${lines.join('\n')}\n`;
}

async function handle(req: IncomingMessage, res: ServerResponse, options: ProbeServerOptions): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return send(res, 405, 'method not allowed\n');
  }
  const [first, second, ...rest] = url.pathname.split('/').filter(Boolean);
  if (first === 'metrics' && !second && options.registry) {
    const body = await options.registry.metrics();
    return send(res, 200, body, options.registry.contentType);
  }
  const kind = first ? KINDS[first] : undefined;
  if (kind && options.probes && rest.length === 0) {
    const verbose = url.searchParams.has('verbose');
    const report = await options.probes.run(kind, {
      ...(second ? { only: second } : {}),
      exclude: url.searchParams.getAll('exclude'),
    });
    if (!report) return send(res, 404, `no ${kind} check named "${second}"\n`);
    return send(res, report.ok ? 200 : 500, formatProbe(kind, report, verbose || !!second));
  }
  return send(res, 404, 'not found: serves /metrics, /healthz, /livez and /readyz\n');
}

/**
 * One small HTTP server for `/metrics` (Prometheus text format) and the probes: `/healthz` and
 * `/livez` (liveness), `/readyz` (readiness), each with `?verbose`, `?exclude=<check>` and
 * `/<probe>/<check>` for one check, as kube-apiserver serves them. 200 when passing, 500 when not.
 */
export function startProbeServer(options: ProbeServerOptions): Promise<ProbeServer> {
  const server = createServer((req, res) => {
    handle(req, res, options).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, `internal error: ${(e as Error).message}\n`);
      else res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    server.once('error', (e: Error) =>
      reject(
        new Error(`metrics and probe server: cannot listen on ${host}:${options.port ?? 8080}: ${e.message}`),
      ),
    );
    server.listen(options.port ?? 8080, host, () => {
      const { port } = server.address() as AddressInfo;
      const shown = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${shown}:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
