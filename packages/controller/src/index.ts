/**
 * `@kates/controller`: what a controller built on a kates snapshot needs in production.
 * @packageDocumentation
 */
export {};
