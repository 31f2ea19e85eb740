export * from './backoff.js';
export * from './ingest.js';
export * from './reflector.js';
export * from './manager.js';
export { WatchHttpError } from './http-error.js';
