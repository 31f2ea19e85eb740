export * from './backoff.js';
export { WatchHttpError } from './http-error.js';
export * from './ingest.js';
export * from './manager.js';
export * from './reflector.js';
