import type { PeerName } from './consumers/protocol.js';
import type { MemoryConfig } from './micro/memory.js';
import type { PendingBenchConfig } from './micro/pending-bench.js';
import type { StoreBenchConfig } from './micro/store-bench.js';
import type { BenchKind } from './objects.js';
import type { ChurnPlan } from './scenarios/churn.js';
import type { Collection } from './scenarios/context.js';

/** One bootstrap case: each peer `reps` times over n objects of a kind. */
export interface BootstrapCase {
  readonly kind: BenchKind;
  readonly n: number;
  readonly reps: number;
  readonly peers: readonly PeerName[];
}

/** One churn case: each peer in turn over n ConfigMaps. */
export interface ChurnCase {
  readonly n: number;
  readonly peers: readonly PeerName[];
  readonly plan: ChurnPlan;
}

/** Everything one `npm run bench` does, sized to fit its time budget on 2 cores. */
export interface BenchPlan {
  readonly mode: 'quick' | 'full';
  readonly store: readonly StoreBenchConfig[];
  readonly pending: readonly PendingBenchConfig[];
  readonly memory: readonly MemoryConfig[];
  readonly fake: {
    readonly bootstrap: readonly BootstrapCase[];
    readonly churn: readonly ChurnCase[];
    readonly slow: {
      readonly n: number;
      readonly events: number;
      readonly reconcileMs: number;
      readonly peers: readonly PeerName[];
    };
  };
  /** The real kube-apiserver: its collections are those its cases name, written into etcd. */
  readonly real: {
    readonly bootstrap: readonly BootstrapCase[];
    readonly churn: readonly ChurnCase[];
  };
}

/** The floor peers: each a way of getting the objects into parsed memory, nothing else. */
const FLOORS: readonly PeerName[] = ['floor-unpaged', 'floor-2000', 'floor-stream'];
const ALL: readonly PeerName[] = [
  ...FLOORS,
  'kates',
  'kates-dropmf',
  'entity-adapter',
  'client-node',
  'go-kates',
];
/** With the paginated-500 floor (client-go's page size), kept where it is cheap for continuity with earlier runs. */
const ALL_500: readonly PeerName[] = ['floor', ...ALL];
/** The libraries that follow changes (churn): every peer but the floors and kates' dropManagedFields variant. */
const FOLLOWERS: readonly PeerName[] = ['kates', 'entity-adapter', 'client-node', 'go-kates'];
/** At 100k objects the entity adapter takes about 0.1 s per event: thousands of events would take minutes. */
const FOLLOWERS_100K: readonly PeerName[] = ['kates', 'client-node', 'go-kates'];

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
      { kind: 'ConfigMap', n: 1000, reps: 2, peers: ALL_500 },
      { kind: 'ConfigMap', n: 10_000, reps: 1, peers: ALL_500 },
      { kind: 'Pod', n: 1000, reps: 1, peers: ALL_500 },
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
  real: {
    bootstrap: [
      { kind: 'ConfigMap', n: 1000, reps: 1, peers: ALL_500 },
      { kind: 'Pod', n: 1000, reps: 1, peers: ALL_500 },
    ],
    churn: [{ n: 1000, peers: FOLLOWERS, plan: { trickle: 5, steady: { count: 300, ratePerSec: 150 } } }],
  },
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
      { kind: 'ConfigMap', n: 1000, reps: 5, peers: ALL_500 },
      { kind: 'ConfigMap', n: 10_000, reps: 3, peers: ALL_500 },
      { kind: 'ConfigMap', n: 100_000, reps: 3, peers: ALL },
      { kind: 'Pod', n: 1000, reps: 5, peers: ALL_500 },
      { kind: 'Pod', n: 10_000, reps: 2, peers: ALL_500 },
      { kind: 'Pod', n: 100_000, reps: 1, peers: ALL },
    ],
    churn: [
      {
        n: 10_000,
        peers: FOLLOWERS,
        plan: { trickle: 10, steady: { count: 2000, ratePerSec: 500 }, burst: { count: 5000 } },
      },
      {
        n: 100_000,
        peers: FOLLOWERS_100K,
        plan: { trickle: 10, steady: { count: 2000, ratePerSec: 500 }, burst: { count: 5000 } },
      },
    ],
    slow: { n: 10_000, events: 10_000, reconcileMs: 500, peers: ['kates', 'client-node', 'go-kates'] },
  },
  // Issue 18: 1k to 100k ConfigMaps and 1k to 10k Pods, written into etcd (seconds, where creates
  // through the API take minutes); one change at a time at 10k and 100k.
  real: {
    bootstrap: [
      { kind: 'ConfigMap', n: 1000, reps: 3, peers: ALL_500 },
      { kind: 'ConfigMap', n: 10_000, reps: 3, peers: ALL_500 },
      { kind: 'ConfigMap', n: 100_000, reps: 2, peers: ALL },
      { kind: 'Pod', n: 1000, reps: 3, peers: ALL_500 },
      { kind: 'Pod', n: 10_000, reps: 2, peers: ALL },
    ],
    churn: [
      { n: 10_000, peers: FOLLOWERS, plan: { trickle: 10, steady: { count: 1000, ratePerSec: 250 } } },
      { n: 100_000, peers: FOLLOWERS_100K, plan: { trickle: 10, steady: { count: 500, ratePerSec: 250 } } },
    ],
  },
};

const ns = (kind: string, n: number) => `bench-${kind.toLowerCase()}-${n}`;

/** The cases of a server part that `--cases` keeps (all without it). */
export function selectCases(plan: BenchPlan, wanted: RegExp | undefined): BenchPlan {
  if (!wanted) return plan;
  const keep = (server: string, scenario: string, kind: string, n: number) =>
    wanted.test(`${server} ${scenario} ${kind} ${n}`);
  return {
    ...plan,
    fake: {
      bootstrap: plan.fake.bootstrap.filter((b) => keep('fake', 'bootstrap', b.kind, b.n)),
      churn: plan.fake.churn.filter((c) => keep('fake', 'churn', 'ConfigMap', c.n)),
      slow: {
        ...plan.fake.slow,
        peers: keep('fake', 'slow', 'ConfigMap', plan.fake.slow.n) ? plan.fake.slow.peers : [],
      },
    },
    real: {
      bootstrap: plan.real.bootstrap.filter((b) => keep('real', 'bootstrap', b.kind, b.n)),
      churn: plan.real.churn.filter((c) => keep('real', 'churn', 'ConfigMap', c.n)),
    },
  };
}

/** The collections a server needs for its cases: each bootstrap case's, and ConfigMaps for churn. */
export function collectionsOf(cases: {
  bootstrap: readonly BootstrapCase[];
  churn: readonly { n: number }[];
  slow?: { n: number; peers: readonly unknown[] };
}): Collection[] {
  const collections: Collection[] = [];
  const add = (kind: BenchKind, n: number) => {
    if (!collections.some((c) => c.kind === kind && c.n === n))
      collections.push({ kind, n, namespace: ns(kind, n) });
  };
  for (const b of cases.bootstrap) add(b.kind, b.n);
  for (const c of cases.churn) add('ConfigMap', c.n);
  if (cases.slow?.peers.length) add('ConfigMap', cases.slow.n);
  return collections;
}
