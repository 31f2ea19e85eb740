import { keepFields, type ObjectTransform, type Transport, withProjection } from '@kates/core/browser';
import { FIELDS_OF_QUERY, KIND_OF_QUERY, SHOWN_FIELDS, type ShownQuery } from './fields.js';

/**
 * The resource a request's path names: `pods` of `/api/v1/pods`, `/api/v1/namespaces/a/pods`
 * and `/api/v1/namespaces/a/pods/x`, `deployments` of `/apis/apps/v1/deployments`; undefined
 * for discovery (`/api`, `/apis/apps/v1`).
 */
export function resourceOf(path: string): string | undefined {
  const segs = path.split('/').filter(Boolean);
  const rest = segs[0] === 'api' ? segs.slice(2) : segs[0] === 'apis' ? segs.slice(3) : [];
  return rest[0] === 'namespaces' && rest.length >= 3 ? rest[2] : rest[0];
}

const isShown = (resource: string | undefined): resource is ShownQuery =>
  resource !== undefined && Object.hasOwn(FIELDS_OF_QUERY, resource);

/**
 * A transport whose GET requests ask the kates proxy for the fields the request's table shows
 * (`FIELDS_OF_QUERY`): the pods list for the pods' fields alone. A path of no table (discovery)
 * asks for every shown field, as one projection did before.
 */
export function withShownFields(transport: Transport): Transport {
  const all = withProjection(transport, SHOWN_FIELDS);
  const byResource = new Map<string, Transport>(
    Object.entries(FIELDS_OF_QUERY).map(([query, fields]) => [query, withProjection(transport, fields)]),
  );
  return {
    server: transport.server,
    request: (req) => {
      const resource = resourceOf(req.path);
      return ((isShown(resource) && byResource.get(resource)) || all).request(req);
    },
    ...(transport.close ? { close: () => transport.close?.() } : {}),
  };
}

/**
 * The client's side of {@link withShownFields}: each object keeps the fields its kind's table
 * shows, so that what the proxy sent, what `kubectl proxy` sent whole and the client's own writes
 * read alike. An object without a kind (a list item of an API server: its list names the kind)
 * keeps every shown field: more than its table reads, never less. What the proxy projected is
 * kept as it came (`keepFields` gives back an object already in its form).
 */
export function keepShownFields(): ObjectTransform {
  const all = keepFields(SHOWN_FIELDS);
  const byKind = new Map<string, ObjectTransform>(
    Object.entries(KIND_OF_QUERY).map(([query, kind]) => [
      kind,
      keepFields(FIELDS_OF_QUERY[query as ShownQuery]),
    ]),
  );
  return (obj) => (byKind.get(obj.kind ?? '') ?? all)(obj);
}
