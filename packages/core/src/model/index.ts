export * from './json.js';
export * from './object.js';
export * from './kinds.js';
