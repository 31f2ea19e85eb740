import type { DropBody, Transport, TransportRequest, TransportResponse } from '../../transport/types.js';

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
  /** The response has no `textUnless`: its body can only be read whole. */
  wholeOnly?: boolean;
}

/**
 * A Transport that answers from a script, by request order, and records each request: for
 * deterministic tests of the reflector's failure handling. Real-server tests live beside it.
 */
export function scriptedTransport(answer: (req: TransportRequest, n: number) => ScriptedAnswer) {
  const requests: TransportRequest[] = [];
  /** The requests (by index) whose body `textUnless` dropped after reading its start. */
  const dropped: number[] = [];
  const transport: Transport = {
    server: 'https://scripted.invalid',
    async request(req) {
      requests.push(req);
      const n = requests.length - 1;
      const a = answer(req, n);
      const body = () => (typeof a.body === 'string' ? a.body : JSON.stringify(a.body ?? {}));
      const res: TransportResponse = {
        status: a.status ?? 200,
        headers: a.headers ?? {},
        async text() {
          return body();
        },
        // Asks `drop` of ever longer starts, 16 characters a chunk, as a transport reading chunks does.
        ...(a.wholeOnly
          ? {}
          : {
              async textUnless(drop: DropBody) {
                const text = body();
                for (let at = 16; at < text.length + 16; at += 16) {
                  const wanted = drop(text.slice(0, at));
                  if (wanted === true) {
                    dropped.push(n);
                    return undefined;
                  }
                  if (wanted === false) break;
                }
                return text;
              },
            }),
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
  return { transport, requests, dropped };
}
