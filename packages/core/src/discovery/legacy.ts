import { ApiError } from '../errors/api-error.js';
import type { Transport } from '../transport/types.js';
import type { DiscoveredGroup } from './catalog.js';
import type { APIGroupList, APIResourceList } from './documents.js';
import { getDocument } from './fetch.js';
import type { ResourceType } from './types.js';

/**
 * Discovery for servers without aggregated discovery (before Kubernetes 1.26, or proxies that strip
 * the media type): one request per group version, all at once. A group version that fails (an
 * aggregated API server that is down) is left out and reported, as kubectl does.
 */
export async function loadLegacyGroups(
  transport: Transport,
  coreVersions: readonly string[],
  groupList: APIGroupList,
  unavailable: string[],
): Promise<{ groups: DiscoveredGroup[]; requests: number }> {
  const wanted: { group: string; versions: string[] }[] = [{ group: '', versions: [...coreVersions] }];
  for (const g of groupList.groups) {
    const preferred = g.preferredVersion?.version;
    const versions = g.versions.map((v) => v.version);
    // Preferred version first: the order is the priority.
    wanted.push({
      group: g.name,
      versions: preferred ? [preferred, ...versions.filter((v) => v !== preferred)] : versions,
    });
  }
  let requests = 0;
  const groups = await Promise.all(
    wanted.map(async ({ group, versions }) => {
      const loaded = await Promise.all(
        versions.map(async (version) => {
          requests++;
          const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
          try {
            const list = await getDocument<APIResourceList>(transport, path, 'application/json');
            return { version, resources: resourcesOf(group, version, list) };
          } catch (e) {
            // A failing group must not hide the others; a failing core group is a real failure.
            if (group === '' || !(e instanceof ApiError)) throw e;
            unavailable.push(`${group}/${version}`);
            return undefined;
          }
        }),
      );
      return { name: group, versions: loaded.filter((v) => v !== undefined) };
    }),
  );
  return { groups, requests };
}

function resourcesOf(group: string, version: string, list: APIResourceList): ResourceType[] {
  const subresources = new Map<string, string[]>();
  for (const r of list.resources) {
    const slash = r.name.indexOf('/');
    if (slash < 0) continue;
    const parent = r.name.slice(0, slash);
    subresources.set(parent, [...(subresources.get(parent) ?? []), r.name.slice(slash + 1)]);
  }
  return list.resources
    .filter((r) => !r.name.includes('/'))
    .map((r) =>
      Object.freeze({
        group,
        version,
        resource: r.name,
        kind: r.kind,
        namespaced: r.namespaced,
        verbs: Object.freeze([...(r.verbs ?? [])]),
        shortNames: Object.freeze([...(r.shortNames ?? [])]),
        singularName: r.singularName || undefined,
        subresources: Object.freeze(subresources.get(r.name) ?? []),
      }),
    );
}
