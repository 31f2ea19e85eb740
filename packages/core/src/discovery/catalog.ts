import type { ResourceType } from './types.js';

/** One group as discovery serves it. */
export interface DiscoveredGroup {
  /** `''` for the core group. */
  readonly name: string;
  /** Versions in preference order: the first is the preferred version. */
  readonly versions: readonly { readonly version: string; readonly resources: readonly ResourceType[] }[];
}

/** What one discovery round found. */
export interface Catalog {
  /**
   * Every resource of every version, in kubectl's priority order: the core group first, then the
   * groups in the order discovery lists them, each with its preferred version before the others.
   * The first match of a name in this order wins, as in kubectl's PriorityRESTMapper.
   */
  readonly resources: readonly ResourceType[];
  /** The preferred version of each group. */
  readonly preferredVersions: ReadonlyMap<string, string>;
  /** Groups (or group versions) whose discovery failed or is stale. */
  readonly unavailable: readonly string[];
  /** `aggregated` (two requests) or `legacy` (one request per group version). */
  readonly source: 'aggregated' | 'legacy';
  /** Requests this round took. */
  readonly requests: number;
}

/** Orders groups as kubectl does (core first) and flattens them into a {@link Catalog}. */
export function buildCatalog(
  groups: readonly DiscoveredGroup[],
  extra: Omit<Catalog, 'resources' | 'preferredVersions'>,
): Catalog {
  const ordered = [...groups.filter((g) => g.name === ''), ...groups.filter((g) => g.name !== '')];
  const resources: ResourceType[] = [];
  const preferredVersions = new Map<string, string>();
  for (const group of ordered) {
    const preferred = group.versions[0]?.version;
    if (preferred !== undefined && !preferredVersions.has(group.name))
      preferredVersions.set(group.name, preferred);
    for (const v of group.versions) resources.push(...v.resources);
  }
  return { ...extra, resources, preferredVersions };
}
