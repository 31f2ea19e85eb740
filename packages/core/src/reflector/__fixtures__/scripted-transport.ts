import type { Transport, TransportRequest, TransportResponse } from '../../transport/types.js';

/** One scripted answer: a status, a body, or lines that arrive over time. */
export interface ScriptedAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /**
   * Watch lines; a number waits that many ms; 'hang' keeps the stream open until aborted; 'drop'
   * fails the stream as a lost connection does.
   */
  lines?: (string | number | 'hang' | 'drop')[];
}

/**
 * A Transport that answers from a script, by request order, and records each request: for
 * deterministic tests of the reflector's failure handling. Real-server tests live beside it.
 */
export function scriptedTransport(answer: (req: TransportRequest, n: number) => ScriptedAnswer) {
  const requests: TransportRequest[] = [];
  const transport: Transport = {
    server: 'https://scripted.invalid',
    async request(req) {
      requests.push(req);
      const a = answer(req, requests.length - 1);
      const res: TransportResponse = {
        status: a.status ?? 200,
        headers: a.headers ?? {},
        async text() {
          return typeof a.body === 'string' ? a.body : JSON.stringify(a.body ?? {});
        },
        async *lines() {
          for (const l of a.lines ?? []) {
            if (req.signal?.aborted) return;
            if (typeof l === 'number') await new Promise((r) => setTimeout(r, l));
            else if (l === 'hang') {
              await new Promise<void>((r) =>
                req.signal?.addEventListener('abort', () => r(), { once: true }),
              );
              return;
            } else if (l === 'drop') throw new Error('read ECONNRESET');
            else yield l;
          }
        },
      };
      return res;
    },
  };
  return { transport, requests };
}
