export { ClientMetrics, WRITE_VERBS } from './client-metrics.js';
export { ControllerMetrics } from './controller-metrics.js';
export { EventMetrics } from './event-metrics.js';
export { failureReason, MAX_NAMES } from './labels.js';
export { QUERY_PHASES, QueryMetrics, type QueryStatusSource } from './query-metrics.js';
