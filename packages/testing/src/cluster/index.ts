export { type ClusterBinaries, ensureClusterBinaries, GoMissingError } from './binaries.js';
export { type Cluster, type ClusterOptions, startCluster } from './cluster.js';
