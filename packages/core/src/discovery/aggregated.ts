import type { DiscoveredGroup } from './catalog.js';
import type { APIGroupDiscoveryList } from './documents.js';
import type { ResourceType } from './types.js';

/** The groups of an aggregated discovery document (`/api` gives the core group, `/apis` the rest). */
export function groupsOfAggregated(doc: APIGroupDiscoveryList, unavailable: string[]): DiscoveredGroup[] {
  return doc.items.map((item) => {
    const group = item.metadata?.name ?? '';
    return {
      name: group,
      versions: item.versions.map((v) => {
        if (v.freshness === 'Stale') unavailable.push(group ? `${group}/${v.version}` : v.version);
        return {
          version: v.version,
          resources: (v.resources ?? []).map(
            (r): ResourceType =>
              Object.freeze({
                group,
                version: v.version,
                resource: r.resource,
                kind: r.responseKind?.kind ?? '',
                namespaced: r.scope === 'Namespaced',
                verbs: Object.freeze([...(r.verbs ?? [])]),
                shortNames: Object.freeze([...(r.shortNames ?? [])]),
                singularName: r.singularResource || undefined,
                subresources: Object.freeze((r.subresources ?? []).map((s) => s.subresource)),
              }),
          ),
        };
      }),
    };
  });
}
