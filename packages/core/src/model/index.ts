export * from './json.js';
export * from './kinds.js';
export * from './object.js';
