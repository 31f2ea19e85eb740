export * from './accumulator.js';
export * from './delta.js';
export * from './host.js';
export * from './query.js';
