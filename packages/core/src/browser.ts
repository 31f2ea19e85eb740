/**
 * `@kates/core/browser`: everything of `@kates/core` that runs in a browser (no Node transport).
 * @packageDocumentation
 */

export * from './accumulator/index.js';
export * from './client/browser.js';
export * from './discovery/index.js';
export * from './discovery/types.js';
export * from './errors/index.js';
export * from './model/index.js';
export * from './reflector/index.js';
export * from './resource-version.js';
export * from './selector/index.js';
export * from './store/index.js';
export * from './timetravel/index.js';
export * from './toolbox/index.js';
export { type BrowserTransportOptions, createBrowserTransport } from './transport/browser.js';
export * from './transport/types.js';
export {
  type ApiWarning,
  logWarningsOnce,
  parseWarningHeader,
  type WarningHandler,
  withWarnings,
} from './transport/warnings.js';
export * from './transport/watch-mux-protocol.js';
