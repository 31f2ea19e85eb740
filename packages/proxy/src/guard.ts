import type { IncomingMessage } from 'node:http';

/** What the proxy lets through. */
export interface GuardOptions {
  /** Whether POST, PUT, PATCH and DELETE are forwarded. */
  readonly allowWrites: boolean;
  /** Host names (without port) the proxy answers to. */
  readonly acceptHosts: readonly (string | RegExp)[];
}

/** A refusal: HTTP status, Kubernetes reason, message, extra headers. */
export interface Refusal {
  readonly code: number;
  readonly reason: string;
  readonly message: string;
  readonly headers?: Record<string, string>;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Subresources that open a shell, a port or a tunnel into workloads (upgraded connections), as
 * kubectl proxy's default `--reject-paths`. A dashboard proxy never forwards them.
 */
const TUNNELS =
  /^\/api\/v1\/(namespaces\/[^/]+\/)?(pods|services|nodes)\/[^/]+\/(exec|attach|portforward|proxy)(\/|$)/;

/** The paths of the Kubernetes API the proxy forwards. */
export function isApiPath(pathname: string): boolean {
  return /^\/(api|apis)(\/|$)/.test(pathname) || pathname === '/version';
}

/** The host name of a Host header, without its port; `[::1]` keeps its brackets. */
export function hostNameOf(hostHeader: string | undefined): string {
  if (!hostHeader) return '';
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1);
  const colon = hostHeader.lastIndexOf(':');
  return (colon >= 0 ? hostHeader.slice(0, colon) : hostHeader).toLowerCase();
}

/**
 * Why a request must not reach the API server, or undefined. The proxy holds the kubeconfig's
 * credentials, so it refuses: hosts it does not serve (a DNS-rebinding page would otherwise be
 * "same origin" with it), requests other pages make (cross-site fetches), tunnels into
 * workloads, and writes unless `allowWrites`.
 */
export function refusalOf(
  req: IncomingMessage,
  pathname: string,
  options: GuardOptions,
): Refusal | undefined {
  const siteRefused = siteRefusalOf(req, options);
  if (siteRefused) return siteRefused;
  const method = req.method ?? 'GET';
  if (method !== 'GET' && !(options.allowWrites && WRITE_METHODS.has(method))) {
    return {
      code: 405,
      reason: 'MethodNotAllowed',
      headers: { allow: options.allowWrites ? 'GET, POST, PUT, PATCH, DELETE' : 'GET' },
      message: options.allowWrites
        ? `the kates proxy does not forward ${method}`
        : `the kates proxy is read-only: ${method} ${pathname} is refused; start it with allowWrites: true (--allow-writes) to allow writes`,
    };
  }
  return tunnelRefusalOf(pathname);
}

/**
 * Refuses hosts the proxy does not serve and requests other sites make: the checks every request
 * to the proxy passes, whatever it asks for.
 */
export function siteRefusalOf(
  req: IncomingMessage,
  options: Pick<GuardOptions, 'acceptHosts'>,
): Refusal | undefined {
  const hostRefused = hostRefusalOf(req, options);
  if (hostRefused) return hostRefused;
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  if (site === 'cross-site' || (origin !== undefined && !acceptsHost(options, hostNameOfOrigin(origin)))) {
    return {
      code: 403,
      reason: 'Forbidden',
      message: 'the kates proxy refuses requests made by other sites',
    };
  }
  return undefined;
}

/** Refuses the subresources that tunnel into workloads (exec, attach, portforward, proxy). */
export function tunnelRefusalOf(pathname: string): Refusal | undefined {
  if (!TUNNELS.test(pathname)) return undefined;
  return {
    code: 403,
    reason: 'Forbidden',
    message:
      `the kates proxy does not forward exec, attach, portforward or proxy ` +
      `subresources (${pathname}); use kubectl for those`,
  };
}

function acceptsHost(options: Pick<GuardOptions, 'acceptHosts'>, name: string): boolean {
  return options.acceptHosts.some((h) => (typeof h === 'string' ? h === name : h.test(name)));
}

/**
 * Refuses a Host header the proxy does not serve: a DNS-rebinding page (evil.example resolving to
 * 127.0.0.1) would otherwise be same-origin with the proxy and read the cluster through it.
 */
export function hostRefusalOf(
  req: IncomingMessage,
  options: Pick<GuardOptions, 'acceptHosts'>,
): Refusal | undefined {
  const host = hostNameOf(req.headers.host);
  if (acceptsHost(options, host)) return undefined;
  return {
    code: 403,
    reason: 'Forbidden',
    message: `the kates proxy does not answer to host "${host}"; add it to acceptHosts if it is yours`,
  };
}

function hostNameOfOrigin(origin: string): string {
  try {
    return hostNameOf(new URL(origin).host);
  } catch {
    return '';
  }
}
