export {
  syncedCheck,
  type WatchedSource,
  type WatchedSources,
  type WatchHealthOptions,
  watchHealthCheck,
} from './checks.js';
export { type Check, type CheckReport, type ProbeKind, type ProbeReport, Probes } from './probes.js';
export { formatProbe, type ProbeServer, type ProbeServerOptions, startProbeServer } from './server.js';
