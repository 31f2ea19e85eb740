export * from './controller.js';
export * from './mapping.js';
export * from './reconcile.js';
export * from './seed.js';
