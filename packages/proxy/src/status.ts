import type { ServerResponse } from 'node:http';

/** Headers every answer of the proxy carries: nothing cached, nothing sniffed, no referrer leaked. */
export const baseHeaders: Readonly<Record<string, string>> = Object.freeze({
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
});

/**
 * Answers with a Kubernetes `Status`, so that clients (kates, kubectl, client-go) read the
 * proxy's refusals exactly as they read the API server's.
 */
export function writeStatus(
  res: ServerResponse,
  code: number,
  reason: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  });
  res.writeHead(code, { ...baseHeaders, ...headers, 'content-type': 'application/json' });
  res.end(body);
}

/**
 * Answers 502 to a request that never reached an answer from the API server. Transport errors
 * name the server and the failure, never a credential.
 */
export function writeUnreachable(res: ServerResponse, e: unknown): void {
  writeStatus(
    res,
    502,
    'BadGateway',
    `the kates proxy could not reach the API server: ${(e as Error)?.message ?? String(e)}`,
  );
}
