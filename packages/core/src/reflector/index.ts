export * from './backoff.js';
export * from './ingest.js';
export * from './manager.js';
export * from './reflector.js';
