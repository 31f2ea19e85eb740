export { type ChromiumLaunchOptions, chromiumLaunchOptions } from './browser/chromium.js';
export * from './chaos/index.js';
export * from './cluster/index.js';
export * from './fake/index.js';
export * from './proxy/index.js';
export { type TestTarget, testTarget } from './test-target.js';
