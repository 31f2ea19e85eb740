/**
 * `@kates/core`: a Kubernetes client and a coherent, live Redux view of a cluster.
 * @packageDocumentation
 */

export * from './accumulator/index.js';
export * from './client/index.js';
export * from './discovery/index.js';
export * from './discovery/types.js';
export * from './errors/index.js';
export * from './model/index.js';
export * from './reflector/index.js';
export * from './resource-version.js';
export * from './selector/index.js';
export * from './store/index.js';
export * from './timetravel/index.js';
export * from './timetravel/node.js';
export * from './toolbox/index.js';
export { type BrowserTransportOptions, createBrowserTransport } from './transport/browser.js';
export { createNodeTransport, type NodeTransport } from './transport/node.js';
export * from './transport/types.js';
export {
  type ApiWarning,
  logWarningsOnce,
  parseWarningHeader,
  type WarningHandler,
  withWarnings,
} from './transport/warnings.js';
export * from './transport/watch-mux-protocol.js';
