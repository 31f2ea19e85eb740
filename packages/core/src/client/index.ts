export * from './browser.js';
export { type CreateClientOptions, createClient } from './create-client.js';
