/**
 * `@kates/controller`: what a controller built on a kates snapshot needs in production.
 * @packageDocumentation
 */

export { type Clock, type ClockTimer, FakeClock, systemClock } from './clock.js';
// Work queue, metrics, probes, Events, finalizers, conditions, manager (src/workqueue ... src/manager).
export * from './conditions/index.js';
export * from './events/index.js';
export * from './finalizers/index.js';
// Leader election and sharding over Leases (src/leaderelection, src/sharding).
export * from './leaderelection/index.js';
export * from './manager/index.js';
export * from './metrics/index.js';
export * from './probes/index.js';
export * from './sharding/index.js';
export * from './workqueue/index.js';
