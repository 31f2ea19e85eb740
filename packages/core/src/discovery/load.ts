import type { Transport } from '../transport/types.js';
import { groupsOfAggregated } from './aggregated.js';
import { buildCatalog, type Catalog } from './catalog.js';
import {
  AGGREGATED_DISCOVERY_ACCEPT,
  type APIGroupDiscoveryList,
  type APIGroupList,
  type APIVersions,
} from './documents.js';
import { getDocument } from './fetch.js';
import { loadLegacyGroups } from './legacy.js';

/**
 * One discovery round. Asks `/api` and `/apis` for aggregated discovery (Kubernetes 1.26+, GA in
 * 1.30): two requests for everything. A server that answers with the classic documents instead
 * gets per-group discovery.
 */
export async function loadCatalog(transport: Transport): Promise<Catalog> {
  const [coreDoc, groupsDoc] = await Promise.all([
    getDocument<APIGroupDiscoveryList | APIVersions>(transport, '/api', AGGREGATED_DISCOVERY_ACCEPT),
    getDocument<APIGroupDiscoveryList | APIGroupList>(transport, '/apis', AGGREGATED_DISCOVERY_ACCEPT),
  ]);
  const unavailable: string[] = [];
  if (isAggregated(coreDoc) && isAggregated(groupsDoc)) {
    const all = [...groupsOfAggregated(coreDoc, unavailable), ...groupsOfAggregated(groupsDoc, unavailable)];
    return buildCatalog(all, { unavailable, source: 'aggregated', requests: 2 });
  }
  const coreVersions = isAggregated(coreDoc)
    ? coreDoc.items.flatMap((i) => i.versions.map((v) => v.version))
    : coreDoc.versions;
  const groupList: APIGroupList = isAggregated(groupsDoc)
    ? {
        groups: groupsDoc.items.map((i) => ({
          name: i.metadata?.name ?? '',
          versions: i.versions.map((v) => ({
            groupVersion: `${i.metadata?.name}/${v.version}`,
            version: v.version,
          })),
        })),
      }
    : groupsDoc;
  const legacy = await loadLegacyGroups(transport, coreVersions, groupList, unavailable);
  return buildCatalog(legacy.groups, { unavailable, source: 'legacy', requests: 2 + legacy.requests });
}

function isAggregated<T>(doc: T | APIGroupDiscoveryList): doc is APIGroupDiscoveryList {
  return (doc as { kind?: string }).kind === 'APIGroupDiscoveryList';
}
