export { type Cluster, type ClusterOptions, startCluster } from './cluster.js';
export { type ClusterBinaries, ensureClusterBinaries, GoMissingError } from './binaries.js';
