import {
  type Accumulator,
  Client,
  createBrowserTransport,
  createKatesStore,
  dropManagedFields,
  type Query,
} from '@kates/core/browser';
import { katesDevTools } from '@kates/react';

/**
 * What the dashboard watches: one snapshot field per kind, across all namespaces. Eight watches,
 * more than the six connections a browser opens to an origin: the transport carries them all on
 * one stream through the kates proxy.
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
] as const satisfies readonly Query[];

export type QueryName = (typeof queries)[number]['name'];

/**
 * Connects to the same-origin proxy (`server.js`, or `kubectl proxy` behind the page): the same
 * client, reflector and store as in Node, over fetch. The store shows in Redux DevTools with
 * sanitizers, so 10k objects do not freeze the extension.
 */
export function connect(baseUrl = ''): Accumulator {
  const client = new Client({
    transport: createBrowserTransport({ baseUrl }),
    store: createKatesStore({ devTools: katesDevTools({ name: 'kates dashboard' }) }),
    // Dashboards do not show managed fields; dropping them halves the memory of each object.
    reflector: { transform: dropManagedFields },
  });
  return client.watch(...queries);
}
