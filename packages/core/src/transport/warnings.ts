import type { Transport, TransportRequest } from './types.js';

/**
 * A warning the API server sent with an answer (`Warning: 299 - "..."`): a deprecated API version,
 * a field dropped under `fieldValidation: 'Warn'`, a policy's advice. Plain text, as the server wrote it.
 */
export interface ApiWarning {
  readonly text: string;
  readonly method: TransportRequest['method'];
  /** The request's path (no query): names a resource, never a credential or a body. */
  readonly path: string;
}

/** Receives the API server's warnings; see {@link withWarnings}. */
export type WarningHandler = (warning: ApiWarning) => void;

/**
 * The warn-texts of a `Warning` header (RFC 7234: `code agent "text" ["date"]`, several joined by
 * commas). Texts are quoted strings, so a comma inside one does not split it.
 */
export function parseWarningHeader(header: string): string[] {
  const texts: string[] = [];
  const warning = /\s*\d{3}\s+\S+\s+"((?:[^"\\]|\\.)*)"(?:\s+"[^"]*")?\s*(?:,|$)/y;
  let match = warning.exec(header);
  while (match) {
    texts.push(match[1]!.replace(/\\(.)/g, '$1'));
    if (warning.lastIndex >= header.length) break;
    match = warning.exec(header);
  }
  return texts;
}

/**
 * Wraps a transport so that each warning of every answer (to any request: reads, writes, lists and
 * watches) reaches `onWarning`. Everything else of the transport (`server`, `close`, a Node
 * transport's `stats`) is the transport's own.
 */
export function withWarnings<T extends Transport>(transport: T, onWarning: WarningHandler): T {
  const request: Transport['request'] = async (req) => {
    const res = await transport.request(req);
    const header = res.headers.warning;
    if (header) {
      for (const text of parseWarningHeader(header)) {
        try {
          onWarning({ text, method: req.method, path: req.path });
        } catch {
          // A handler's failure must not fail the request it reports on.
        }
      }
    }
    return res;
  };
  return new Proxy(transport, {
    get(target, property) {
      if (property === 'request') return request;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * The default handler: `console.warn`, each distinct text once per client (a deprecated API is
 * reported once, not on every request), as kubectl and client-go's default warning logger do.
 */
export function logWarningsOnce(log: (line: string) => void = console.warn): WarningHandler {
  const seen = new Set<string>();
  return ({ text, method, path }) => {
    if (seen.has(text)) return;
    if (seen.size >= 1000) seen.clear();
    seen.add(text);
    log(`kates: the API server warns (${method} ${path}): ${text}`);
  };
}
