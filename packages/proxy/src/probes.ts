import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WarmStatus } from './fanout/warm.js';
import { baseHeaders } from './status.js';

/** The probe paths the proxy serves, as kube-apiserver names them. */
const PROBES = new Set(['/readyz', '/livez', '/healthz']);

/** Whether a path is one of the proxy's probes. */
export function isProbePath(pathname: string): boolean {
  return PROBES.has(pathname);
}

/**
 * Answers a probe as kube-apiserver does: `ok` (200) or the failed checks (500), every check with
 * `?verbose`. `/livez` and `/healthz` pass while the proxy answers; `/readyz` passes once every
 * warm cache has listed (one check per warm query, `warm-cache/pods`; a kind the API server does
 * not serve passes, having nothing to list). Reasons are withheld, as
 * kube-apiserver withholds them: probes are answered to any host (a kubelet's probe carries the
 * pod's address), so they say nothing an API server's message would (`stats().warm` has them).
 */
export function serveProbe(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  warm: readonly WarmStatus[],
): void {
  req.resume();
  const name = url.pathname.slice(1);
  const checks =
    name === 'readyz'
      ? warm.map((w) => ({
          name: `warm-cache/${w.query}`,
          ok: w.state === 'synced' || w.state === 'unserved',
        }))
      : [];
  const failed = checks.some((c) => !c.ok);
  const verbose = url.searchParams.has('verbose');
  const lines = [
    '[+]ping ok',
    ...checks.map((c) => (c.ok ? `[+]${c.name} ok` : `[-]${c.name} failed: reason withheld`)),
  ];
  const body = failed
    ? `${lines.join('\n')}\n${name} check failed\n`
    : verbose
      ? `${lines.join('\n')}\n${name} check passed\n`
      : 'ok';
  res.writeHead(failed ? 500 : 200, {
    ...baseHeaders,
    'content-type': 'text/plain; charset=utf-8',
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
