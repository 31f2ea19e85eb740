import type { Transport, TransportRequest } from './types.js';

/**
 * The query parameter by which a page asks the kates proxy (`@kates/proxy`) for its lists and
 * watches projected: `katesFields=spec.nodeName,status.phase`, dotted paths, comma separated. The
 * proxy serves such objects from its cache with `apiVersion`, `kind`, `metadata` (without
 * `managedFields`) and those fields alone (see `keepFields`), and takes the parameter out of
 * whatever it forwards to the API server. The bytes a page reads and parses shrink with the
 * objects: the point of it for a list view of 30k pods.
 */
export const PROJECTION_PARAM = 'katesFields';

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/**
 * The canonical value of {@link PROJECTION_PARAM} for `paths` (sorted, without duplicates), or an
 * error naming the first path that is not a dotted path of field names.
 */
export function projectionParamOf(paths: readonly string[]): string {
  for (const p of paths) {
    if (!p.split('.').every((s) => SEGMENT.test(s)))
      throw new TypeError(`a projected field is a dotted path of field names, not ${JSON.stringify(p)}`);
  }
  return [...new Set(paths)].sort().join(',');
}

/**
 * A transport whose GET requests ask the kates proxy to project objects to `paths` (see
 * {@link PROJECTION_PARAM}). Pair it with the same projection on the client
 * (`reflector: { transform: keepFields(paths) }`), which makes what the proxy sent, what another
 * server sent whole, and the client's own write results read alike. Only behind the kates proxy:
 * `kubectl proxy` would pass the parameter on to the API server, which ignores it.
 */
export function withProjection(transport: Transport, paths: readonly string[]): Transport {
  const value = projectionParamOf(paths);
  const project = (req: TransportRequest): TransportRequest =>
    req.method === 'GET' ? { ...req, query: { ...req.query, [PROJECTION_PARAM]: value } } : req;
  return {
    server: transport.server,
    request: (req) => transport.request(project(req)),
    ...(transport.close ? { close: () => transport.close?.() } : {}),
  };
}
