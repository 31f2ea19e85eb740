export { parseDuration } from './duration.js';
export {
  FAULT_KINDS,
  type FaultKind,
  type FaultScheduleOptions,
  runFaultSchedule,
} from './fault-schedule.js';
export {
  activeResources,
  awaitNoLeaks,
  type LeakedResource,
  leakedSince,
  type ResourceCounts,
} from './handles.js';
export { type HeapSample, heapAfterGc, heapSlopeBytesPerMinute } from './heap.js';
export {
  type CheckedAccumulator,
  type Convergence,
  checkConvergence,
  compareWithList,
  type Divergence,
  listQuery,
} from './invariants.js';
export { isUnknownOutcome } from './outcome.js';
export {
  type ReconcilerCounts,
  type ReconcilerOptions,
  reconcilerCounts,
  reconcilerQueries,
  runReconciler,
} from './reconciler.js';
export { type ChaosReport, type Duplicate, formatChaosReport } from './report.js';
export { type ChaosOptions, runChaos } from './run-chaos.js';
export { runSlowConsumer, type SlowConsumerCounts } from './slow-consumer.js';
export {
  formatSoakReport,
  runSoak,
  SOAK_HEAP_BOUND_BYTES_PER_MINUTE,
  SOAK_MIN_JUDGED_MS,
  type SoakOptions,
  type SoakReport,
} from './soak.js';
export { trackWatchHealth, type WatchHealth, type WatchHealthTracker } from './watch-health.js';
export { runWorkload, type WorkloadCounts, type WorkloadOptions } from './workload.js';
export {
  type ChaosWorld,
  chaosWorld,
  createWorld,
  PARENT_LABELS,
  PARENT_SELECTOR,
  PARENT_UID_LABEL,
  widgetCrd,
} from './world.js';
