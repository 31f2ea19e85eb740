export * from './cluster/index.js';
export * from './fake/index.js';
export { type TestTarget, testTarget } from './test-target.js';
