/**
 * `@kates/core`: a Kubernetes client and a coherent, live Redux view of a cluster.
 * @packageDocumentation
 */
export * from './model/index.js';
export * from './transport/types.js';
export * from './discovery/types.js';
