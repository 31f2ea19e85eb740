import {
  type Accumulator,
  Client,
  createBrowserTransport,
  createKatesStore,
  dropManagedFields,
  type Query,
} from '@kates/core/browser';
import { katesDevTools } from '@kates/react';
import type { ShownQuery } from './fields.js';
import { keepShownFields, withShownFields } from './projection.js';

/**
 * What the dashboard watches: one snapshot field per kind, across all namespaces. Nine watches,
 * more than the six connections a browser opens to an origin: the transport carries them all on
 * one stream through the kates proxy. The last is the example router controller's own kind
 * (examples/controller): `unserved` on a cluster without its CRD, until the controller installs it.
 */
export const queries = [
  { name: 'namespaces', kind: 'namespaces' },
  { name: 'deployments', kind: 'deployments.apps' },
  { name: 'replicasets', kind: 'replicasets.apps' },
  { name: 'pods', kind: 'pods' },
  { name: 'services', kind: 'services' },
  { name: 'configmaps', kind: 'configmaps' },
  { name: 'events', kind: 'events' },
  { name: 'nodes', kind: 'nodes' },
  { name: 'mappings', kind: 'mappings.example.kates.dev' },
] as const satisfies readonly (Query & { readonly name: ShownQuery })[];

export type QueryName = (typeof queries)[number]['name'];

/**
 * Queries of kinds a cluster may well not serve: the example controller's Mappings. Unserved, they
 * are not a failure of the page (the status bar says `not installed`), and a warm cache should
 * leave them out, or it never syncs.
 */
export const optionalQueries: ReadonlySet<string> = new Set<QueryName>(['mappings']);

/**
 * How objects are held: `projected` (default), only the fields their table shows
 * (`FIELDS_OF_QUERY`), asked of the kates proxy so that it sends no more; `whole`, whole objects
 * without managedFields.
 */
export type Projection = 'projected' | 'whole';

/** How a page is connected: its projection, and how its first lists are read. */
export interface Connection {
  readonly projection: Projection;
  /** `list` (paginated, default) or `stream` (a watch that sends the initial state first). */
  readonly initialList: 'list' | 'stream';
}

/** The connection a page's address asks for (`?projection=whole&list=stream`; the benchmark compares them). */
export function connectionOf(search: string): Connection {
  const params = new URLSearchParams(search);
  return {
    projection: params.get('projection') === 'whole' ? 'whole' : 'projected',
    initialList: params.get('list') === 'stream' ? 'stream' : 'list',
  };
}

/**
 * Items a list page asks for: 10 000, five times the reflector's default. The kates proxy serves
 * pages from memory, so each page is a round trip with no work at the API server, and 30k pods
 * take 3 pages rather than 15; projected, a page is about 8 MB.
 */
export const LIST_PAGE_SIZE = 10_000;

/**
 * Connects to the same-origin proxy (`server.js`, or `kubectl proxy` behind the page): the same
 * client, reflector and store as in Node, over fetch. The store shows in Redux DevTools with
 * sanitizers, so 10k objects do not freeze the extension.
 *
 * Projected, the proxy serves each object with the fields of its table alone (behind `kubectl
 * proxy`, which sends them whole, the client projects them itself), and the client projects its
 * objects the same way wherever they come from, so every object reads alike.
 */
export function connect(
  baseUrl = '',
  { projection, initialList }: Connection = { projection: 'projected', initialList: 'list' },
): Accumulator {
  const browser = createBrowserTransport({ baseUrl });
  const client = new Client({
    transport: projection === 'projected' ? withShownFields(browser) : browser,
    store: createKatesStore({ devTools: katesDevTools({ name: 'kates dashboard' }) }),
    reflector: {
      // Dashboards do not show managed fields; dropping them halves the memory of each object.
      transform: projection === 'projected' ? keepShownFields() : dropManagedFields,
      pageSize: LIST_PAGE_SIZE,
      initialList,
    },
  });
  return client.watch(...queries);
}
