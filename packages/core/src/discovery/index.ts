export type { Catalog, DiscoveredGroup } from './catalog.js';
export { closestNames, editDistance } from './closest.js';
export { Discovery, type DiscoveryOptions, type DiscoveryStats } from './discovery.js';
export { AGGREGATED_DISCOVERY_ACCEPT } from './documents.js';
export { looksLikeVersion, resolveApiVersionKind, resolveName } from './resolve.js';
export * from './types.js';
