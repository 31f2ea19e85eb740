export { LeaderElector } from './elector.js';
export { type Fence, fencedClient, fenceHolds } from './fence.js';
export { isLeadershipLost, LeadershipLostError } from './leadership-lost.js';
export { LEASE_KIND, type LeaseLock, type LeaseLockOptions, leaseLock } from './lease-lock.js';
export { type LeaderElectionRecord, type ObservedLease, recordOf } from './lease-record.js';
export { formatMicroTime } from './micro-time.js';
export {
  type ElectionTiming,
  electionTiming,
  JITTER_FACTOR,
  LEADER_ELECTION_DEFAULTS,
  LeaderElectionConfigError,
  type LeaderElectionOptions,
  type StoppedLeadingReason,
} from './options.js';
