export {
  Controller,
  type ControllerOptions,
  type ControllerStopReport,
  checkControllerName,
  type ReconcileMetrics,
  type ReconcileOutcome,
  type ReconcileRequest,
  type ReconcileResult,
  type Reconciler,
  TerminalError,
} from './controller.js';
export {
  type DeltaRouting,
  type DeltaSource,
  type KeyMapper,
  type KeySink,
  keysOfDeltas,
  type OwnerKeysOptions,
  objectKeys,
  ownerKeys,
  watchKeys,
} from './deltas.js';
export { type KeyParts, objectByKey, objectKey, splitKey } from './keys.js';
export { WorkQueue, type WorkQueueMetrics, type WorkQueueOptions } from './queue.js';
export {
  type BucketOptions,
  bucketRateLimiter,
  type ControllerRateLimiterOptions,
  defaultControllerRateLimiter,
  type ItemBackoffOptions,
  itemExponentialRateLimiter,
  maxOfRateLimiters,
  type RateLimiter,
} from './rate-limiter.js';
export { TokenBucket, type TokenBucketOptions } from './token-bucket.js';
