export { fnv1a64 } from './fnv.js';
export { checkMemberName, RING_LEASE_LABEL, type RingLabels, ringLabels } from './labels.js';
export { type HandleOutcome, ShardMember, type ShardMemberOptions } from './member.js';
export { type MemberState, MemberTracker } from './membership.js';
export { planShards, type ShardAction, type ShardKey, shardKeyOf } from './plan.js';
export { DEFAULT_VIRTUAL_NODES, type HashRange, HashRing, shardSelectorOf } from './ring.js';
export { Sharder, type SharderCounters, type SharderOptions } from './sharder.js';
