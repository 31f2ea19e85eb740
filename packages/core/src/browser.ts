/**
 * `@kates/core/browser`: everything of `@kates/core` that runs in a browser (no Node transport).
 * @packageDocumentation
 */
export * from './model/index.js';
export * from './transport/types.js';
export * from './discovery/types.js';
