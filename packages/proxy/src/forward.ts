import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Transport, TransportRequest, TransportResponse } from '@kates/core';
import { isWatchRequest } from '@kates/core/internal';
import { drainedOrClosed } from './drain.js';
import { baseHeaders, writeStatus, writeUnreachable } from './status.js';

/** Response headers passed on to the browser: what describes the body. Nothing else, ever. */
const FORWARDED_RESPONSE_HEADERS = [
  'content-type',
  'audit-id',
  'warning',
  'retry-after',
  'x-kubernetes-pf-flowschema-uid',
];

/** Whether a request is a watch, whose answer streams until the server ends it. */
function isWatch(url: URL): boolean {
  return isWatchRequest({ path: url.pathname, query: Object.fromEntries(url.searchParams) });
}

export async function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit)
      throw Object.assign(new Error(`request body larger than ${limit} bytes`), { tooLarge: true });
    chunks.push(chunk);
  }
  return chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined;
}

/** The headers of an answer the browser may see: those that describe the body. */
function relayedHeaders(upstream: TransportResponse): Record<string, string> {
  const headers: Record<string, string> = { ...baseHeaders };
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = upstream.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

/** Relays a whole (not streamed) answer of the API server: its status, body and describing headers. */
export async function relayWhole(
  upstream: TransportResponse,
  res: ServerResponse,
  signal: AbortSignal,
): Promise<void> {
  let text: string;
  try {
    text = await upstream.text();
  } catch (e) {
    if (!signal.aborted)
      writeStatus(res, 502, 'BadGateway', `the API server's answer broke off: ${(e as Error).message}`);
    return;
  }
  res.writeHead(upstream.status, relayedHeaders(upstream));
  res.end(text);
}

/**
 * Sends one browser request to the API server through the transport (which adds the kubeconfig's
 * credentials) and relays the answer. Only `Accept` and `Content-Type` go up; only the headers that
 * describe the body come down. A watch is relayed line by line as it arrives, with backpressure:
 * a slow browser slows the read, and a browser that leaves ends the watch.
 */
export async function forward(
  transport: Transport,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  maxBodyBytes: number,
): Promise<void> {
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  const method = (req.method ?? 'GET') as TransportRequest['method'];
  let body: string | undefined;
  try {
    body = method === 'GET' ? undefined : await readBody(req, maxBodyBytes);
  } catch (e) {
    const tooLarge = (e as { tooLarge?: boolean }).tooLarge;
    writeStatus(
      res,
      tooLarge ? 413 : 400,
      tooLarge ? 'RequestEntityTooLarge' : 'BadRequest',
      (e as Error).message,
    );
    return;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  let upstream: TransportResponse;
  try {
    upstream = await transport.request({
      method,
      path: url.pathname,
      query,
      ...(body !== undefined ? { body, contentType: req.headers['content-type'] ?? 'application/json' } : {}),
      accept: req.headers.accept || 'application/json',
      signal: abort.signal,
    });
  } catch (e) {
    if (!abort.signal.aborted) writeUnreachable(res, e);
    return;
  }
  const headers = relayedHeaders(upstream);
  if (!(isWatch(url) && upstream.status === 200)) return relayWhole(upstream, res, abort.signal);
  // No content-length: chunked, and each line is flushed on its own.
  res.writeHead(200, { ...headers, 'x-accel-buffering': 'no' });
  res.flushHeaders();
  try {
    for await (const line of upstream.lines()) {
      if (!res.write(`${line}\n`)) await drainedOrClosed(res);
      if (abort.signal.aborted) break;
    }
  } catch {
    // The API server or the browser went away: end the stream; the reflector watches again.
  }
  res.end();
}
