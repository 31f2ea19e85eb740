import { apiErrorFromResponse } from '../errors/api-error.js';
import type { Transport } from '../transport/types.js';

/** GETs a discovery document; a non-2xx answer is an ApiError naming the path. */
export async function getDocument<T>(transport: Transport, path: string, accept: string): Promise<T> {
  const res = await transport.request({ method: 'GET', path, accept });
  const text = await res.text();
  if (res.status < 200 || res.status > 299) {
    throw apiErrorFromResponse(res.status, text, { verb: 'discover', resource: path });
  }
  return JSON.parse(text) as T;
}
