import type { PeerName } from './consumers/protocol.js';
import type { MemoryConfig } from './micro/memory.js';
import type { PendingBenchConfig } from './micro/pending-bench.js';
import type { StoreBenchConfig } from './micro/store-bench.js';
import type { BenchKind } from './objects.js';
import type { ChurnPlan } from './scenarios/churn.js';

/** Everything one `npm run bench` does, sized to fit its time budget on 2 cores. */
export interface BenchPlan {
  readonly mode: 'quick' | 'full';
  readonly store: readonly StoreBenchConfig[];
  readonly pending: readonly PendingBenchConfig[];
  readonly memory: readonly MemoryConfig[];
  readonly fake: {
    /** Bootstrap cases: kind, n, repetitions. */
    readonly bootstrap: readonly {
      readonly kind: BenchKind;
      readonly n: number;
      readonly reps: number;
      readonly peers: readonly PeerName[];
    }[];
    readonly churn: readonly {
      readonly n: number;
      readonly peers: readonly PeerName[];
      readonly plan: ChurnPlan;
    }[];
    readonly slow: {
      readonly n: number;
      readonly events: number;
      readonly reconcileMs: number;
      readonly peers: readonly PeerName[];
    };
  };
  readonly real: {
    readonly n: number;
    readonly reps: number;
    readonly peers: readonly PeerName[];
    readonly churn: ChurnPlan;
  };
}

const ALL: readonly PeerName[] = [
  'floor',
  'kates',
  'kates-dropmf',
  'entity-adapter',
  'client-node',
  'go-kates',
];
const FOLLOWERS: readonly PeerName[] = ['kates', 'entity-adapter', 'client-node', 'go-kates'];

function store(kind: BenchKind, n: number, budgetMs: number): StoreBenchConfig[] {
  return (['kates', 'kates-frozen', 'map', 'entity-adapter'] as const).map((impl) => ({
    impl,
    kind,
    n,
    warmupEvents: 2000,
    // Enough for the mean to average over some 40 young-generation collections: at 100k Pods each
    // costs 20 to 30 ms (copying the retained objects), so over 3000 events the rate swung by 10%
    // with whether two or three of them fell inside.
    singleEvents: 60000,
    batchSize: 1000,
    batches: 10,
    updates: 50,
    budgetMs,
  }));
}

function pending(n: number, counts: number[]): PendingBenchConfig[] {
  return counts.map((p) => ({ kind: 'ConfigMap', n, pending: p, events: 2000 }));
}

function memory(kind: BenchKind, n: number, holders: MemoryConfig['holder'][]): MemoryConfig[] {
  return holders.flatMap((holder) =>
    [false, true].map((dropManagedFields) => ({ holder, kind, n, dropManagedFields })),
  );
}

/** About 2 minutes: every scenario once, small. */
export const QUICK: BenchPlan = {
  mode: 'quick',
  store: [...store('Pod', 10_000, 2000), ...store('ConfigMap', 10_000, 2000)],
  pending: pending(10_000, [0, 1000]),
  memory: memory('Pod', 10_000, ['raw', 'kates']),
  fake: {
    bootstrap: [
      { kind: 'ConfigMap', n: 1000, reps: 2, peers: ALL },
      { kind: 'ConfigMap', n: 10_000, reps: 1, peers: ALL },
      { kind: 'Pod', n: 1000, reps: 1, peers: ALL },
    ],
    churn: [
      {
        n: 10_000,
        peers: FOLLOWERS,
        plan: { trickle: 5, steady: { count: 500, ratePerSec: 250 }, burst: { count: 1000 } },
      },
    ],
    slow: { n: 1000, events: 2000, reconcileMs: 500, peers: ['kates', 'client-node', 'go-kates'] },
  },
  real: { n: 1000, reps: 1, peers: ALL, churn: { trickle: 5, steady: { count: 300, ratePerSec: 150 } } },
};

/** About 15 to 20 minutes on 2 cores. */
export const FULL: BenchPlan = {
  mode: 'full',
  store: [
    // 5 s a phase: room for the 60,000 single events of kates at 100k Pods (about 3 s).
    ...store('Pod', 10_000, 5000),
    ...store('Pod', 100_000, 5000),
    ...store('ConfigMap', 100_000, 5000),
  ],
  pending: pending(100_000, [0, 100, 1000, 10_000]),
  memory: [
    ...memory('Pod', 100_000, ['raw', 'kates']),
    { holder: 'entity-adapter', kind: 'Pod', n: 10_000, dropManagedFields: false },
    { holder: 'raw', kind: 'ConfigMap', n: 100_000, dropManagedFields: false },
    { holder: 'kates', kind: 'ConfigMap', n: 100_000, dropManagedFields: false },
  ],
  fake: {
    bootstrap: [
      { kind: 'ConfigMap', n: 1000, reps: 5, peers: ALL },
      { kind: 'ConfigMap', n: 10_000, reps: 3, peers: ALL },
      { kind: 'ConfigMap', n: 100_000, reps: 3, peers: ALL },
      { kind: 'Pod', n: 1000, reps: 5, peers: ALL },
      { kind: 'Pod', n: 10_000, reps: 2, peers: ALL },
      { kind: 'Pod', n: 100_000, reps: 1, peers: ALL },
    ],
    churn: [
      {
        n: 10_000,
        peers: FOLLOWERS,
        plan: { trickle: 10, steady: { count: 2000, ratePerSec: 500 }, burst: { count: 5000 } },
      },
      // The entity adapter takes about 0.1 s per event at 100k objects: 7000 events would take 12 minutes.
      {
        n: 100_000,
        peers: ['kates', 'client-node', 'go-kates'],
        plan: { trickle: 10, steady: { count: 2000, ratePerSec: 500 }, burst: { count: 5000 } },
      },
    ],
    slow: { n: 10_000, events: 10_000, reconcileMs: 500, peers: ['kates', 'client-node', 'go-kates'] },
  },
  real: { n: 10_000, reps: 3, peers: ALL, churn: { trickle: 10, steady: { count: 1000, ratePerSec: 250 } } },
};
