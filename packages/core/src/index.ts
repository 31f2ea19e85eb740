/**
 * `@kates/core`: a Kubernetes client and a coherent, live Redux view of a cluster. Everything of
 * `@kates/core/browser`, and what needs Node: kubeconfig clients, the Node transport, recordings
 * on disk.
 * @packageDocumentation
 */

export * from './browser.js';
export { type CreateClientOptions, createClient } from './client/create-client.js';
export * from './timetravel/node.js';
export { createNodeTransport, type NodeTransport } from './transport/node.js';
