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
/**
 * What the bar of issue 18 needs: the floors, kates-ts and the libraries it is held against. The
 * entity adapter (internal baseline) and kates' dropManagedFields variant cost a fresh process a
 * run each; they are measured at 1k and 10k on the in-memory server.
 */
const BAR: readonly PeerName[] = [...FLOORS, 'kates', 'client-node', 'go-kates'];
/**
 * The real server answers a LIST at resourceVersion 0 from its watch cache, whole whatever the
 * limit: pages of 500 or 2000 are one request there, the same as `floor-unpaged`, so they are not
 * measured twice.
 */
const REAL_BAR: readonly PeerName[] = BAR.filter((p) => p !== 'floor-2000');
/** The libraries that follow changes (churn): every peer but the floors and kates' dropManagedFields variant. */
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
      { kind: 'ConfigMap', n: 1000, reps: 1, peers: ALL.filter((p) => p !== 'floor-2000') },
      { kind: 'Pod', n: 1000, reps: 1, peers: ALL.filter((p) => p !== 'floor-2000') },
    ],
    churn: [{ n: 1000, peers: FOLLOWERS, plan: { trickle: 5, steady: { count: 300, ratePerSec: 150 } } }],
  },
};

/**
 * The full run. Estimated wall time on 2 quiet cores (from runs of each part at load 1 to 5 and
 * the costs of one consumer process, about 1 s besides what it measures; each part's time is
 * logged and kept in results.json as `partSeconds`, so the next full run checks it):
 *
 * - store, pending, memory: 4 to 5 min (8 store configs, 3 pending, 7 memory, fresh processes);
 * - fake: about 7 min (seeding 222k objects 50 s; 93 bootstrap runs, 2 to 3 min of it at 100k;
 *   churn at 10k and 100k and the slow consumer, 2 peers each, 2 min);
 * - real: about 5.5 min (cluster and 122k objects into etcd 40 s; 50 bootstrap runs, 1 min of them
 *   at 100k ConfigMaps; churn at 10k with 4 peers and at 100k with 3, 2.5 min);
 * - browser (scenarios/browser.ts, 5 variants, 2 rates, 3 repeats of 10 s): about 7 min.
 *
 * About 24 minutes in all; fake and real alone (the numbers of issue 18) about 12.5.
 */
export const FULL: BenchPlan = {
  mode: 'full',
  // The bars of issue 4 are at 100k (the quick plan measures 10k): 5 s a phase, room for the 60,000
  // single events of kates at 100k Pods (about 3 s).
  store: [...store('Pod', 100_000, 5000), ...store('ConfigMap', 100_000, 5000)],
  pending: pending(100_000, [0, 1000, 10_000]),
  memory: [
    ...memory('Pod', 100_000, ['raw', 'kates']),
    { holder: 'entity-adapter', kind: 'Pod', n: 10_000, dropManagedFields: false },
    { holder: 'raw', kind: 'ConfigMap', n: 100_000, dropManagedFields: false },
    { holder: 'kates', kind: 'ConfigMap', n: 100_000, dropManagedFields: false },
  ],
  fake: {
    // Go kates reaches no complete snapshot of 10k objects or more from the in-memory server (its
    // first page is its whole initial list, and this server pages even a LIST at resourceVersion
    // 0): it is tried once at 10k ConfigMaps (that failure is reported, and skips it at 100k) and
    // left out of the Pod cases at 10k and more and of churn and the slow consumer, where it only
    // waited out the timeouts in earlier runs.
    bootstrap: [
      { kind: 'ConfigMap', n: 1000, reps: 2, peers: ALL_500 },
      { kind: 'ConfigMap', n: 10_000, reps: 2, peers: ALL_500 },
      { kind: 'ConfigMap', n: 100_000, reps: 2, peers: BAR },
      { kind: 'Pod', n: 1000, reps: 2, peers: ALL_500 },
      { kind: 'Pod', n: 10_000, reps: 2, peers: ALL.filter((p) => p !== 'go-kates') },
      { kind: 'Pod', n: 100_000, reps: 1, peers: BAR.filter((p) => p !== 'go-kates') },
    ],
    churn: [
      {
        n: 10_000,
        peers: ['kates', 'client-node'],
        plan: { trickle: 10, steady: { count: 2000, ratePerSec: 500 }, burst: { count: 5000 } },
      },
      {
        n: 100_000,
        peers: ['kates', 'client-node'],
        plan: { trickle: 10, steady: { count: 2000, ratePerSec: 500 }, burst: { count: 5000 } },
      },
    ],
    slow: { n: 10_000, events: 10_000, reconcileMs: 500, peers: ['kates', 'client-node'] },
  },
  // Issue 18: 1k to 100k ConfigMaps and 1k and 10k Pods, written into etcd (seconds, where creates
  // through the API take minutes); one change at a time at 10k and 100k.
  real: {
    bootstrap: [
      { kind: 'ConfigMap', n: 1000, reps: 2, peers: REAL_BAR },
      { kind: 'ConfigMap', n: 10_000, reps: 2, peers: REAL_BAR },
      { kind: 'ConfigMap', n: 100_000, reps: 2, peers: REAL_BAR },
      { kind: 'Pod', n: 1000, reps: 2, peers: REAL_BAR },
      { kind: 'Pod', n: 10_000, reps: 2, peers: REAL_BAR },
    ],
    churn: [
      { n: 10_000, peers: FOLLOWERS, plan: { trickle: 10, steady: { count: 1000, ratePerSec: 250 } } },
      // No entity adapter at 100k: about 0.1 s an event there.
      {
        n: 100_000,
        peers: ['kates', 'client-node', 'go-kates'],
        plan: { trickle: 10, steady: { count: 250, ratePerSec: 250 } },
      },
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
