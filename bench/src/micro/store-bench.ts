import type { KubernetesObject } from '@kates/core';
import { parseWatchLine, type WatchEventPayload } from '@kates/core/internal';
import type { BenchKind } from '../objects.js';
import { RESOURCES } from '../resources.js';
import { nextTurn, type Summary, summarize } from '../stats.js';
import { createEntityAdapterStore, entityStateOf } from './entity-adapter.js';
import { eventLines, listPages } from './feed.js';
import { katesFixture } from './kates-fixture.js';

/** The store micro-benchmark of issue 4: one collection of `n` objects, fed by hand. */
export interface StoreBenchConfig {
  /**
   * `kates`: the production configuration (objects not frozen; the runner sets `NODE_ENV=production`);
   * `kates-frozen`: the development default, every incoming object deep-frozen (`NODE_ENV=development`);
   * `map`: the floor, a `Map` from UID to the parsed object and nothing else (no order, no
   * queries, no coherence): what holding parsed objects costs on this machine, GC included.
   */
  readonly impl: 'kates' | 'kates-frozen' | 'map' | 'entity-adapter';
  readonly kind: BenchKind;
  readonly n: number;
  /** Single events to time, one action each. */
  readonly singleEvents: number;
  /**
   * Single events applied first and not timed, so that the timed ones run on optimized code
   * (as a controller's do after its first seconds): V8 compiles the hot path during the first
   * few hundred events, pauses of 5 to 30 ms that would otherwise land in the mean.
   */
  readonly warmupEvents: number;
  readonly batchSize: number;
  readonly batches: number;
  /** `update(snapshot)` calls to time, each after one change. */
  readonly updates: number;
  /** Each phase stops after this long, whatever its count (the entity adapter is slow at 100k). */
  readonly budgetMs: number;
}

export interface StoreBenchResult {
  readonly impl: StoreBenchConfig['impl'];
  readonly kind: BenchKind;
  readonly n: number;
  /** Building the store: list pages parsed and dispatched, to a complete snapshot. */
  readonly buildMs: number;
  /**
   * Per single event, in µs: parse, one dispatch, and what runs on it (the reducer, and the
   * accumulator's store listener with its status selectors). Building the sorted snapshot is
   * `update()`'s work, measured on its own (`updateMs`): signals are coalesced, so it runs once per
   * burst, not once per event.
   */
  readonly single: {
    readonly events: number;
    readonly us: Summary;
    readonly meanUs: number;
    readonly eventsPerSec: number;
    /** Of which parsing the line (JSON.parse and checks), mean µs. */
    readonly parseMeanUs: number;
  };
  /** Batches of `batchSize` events: parse all, one dispatch (one action per event for the entity adapter). */
  readonly batched: {
    readonly batchSize: number;
    readonly batches: number;
    readonly eventsPerSec: number;
    /** Counting the dispatch only, parse left out. */
    readonly storeEventsPerSec: number;
    /** Counting the parse only: the ceiling any store fed by JSON text has on this machine. */
    readonly parseOnlyPerSec: number;
  };
  /** `update(snapshot)` after one change, ms. */
  readonly updateMs: Summary;
  /** The final snapshot holds n objects (kates: sorted), each touched object in its newest state. */
  readonly correct: boolean;
  readonly problems: readonly string[];
}

interface Subject {
  apply(events: WatchEventPayload[]): void;
  snapshot(): readonly { metadata?: { name?: string; uid?: string; annotations?: Record<string, string> } }[];
  update(): void;
  close(): void;
}

/** The objects of a LIST of the collection, parsed a page at a time. */
function* listed(kind: BenchKind, n: number, namespace: string): Generator<KubernetesObject> {
  for (const page of listPages(kind, n, namespace))
    yield* (JSON.parse(page) as { items: KubernetesObject[] }).items;
}

async function subjectOf(config: StoreBenchConfig, namespace: string): Promise<Subject> {
  if (config.impl === 'map') {
    const held = new Map<string, KubernetesObject>();
    for (const obj of listed(config.kind, config.n, namespace)) held.set(obj.metadata!.uid!, obj);
    return {
      apply: (events) => {
        for (const ev of events) {
          const uid = ev.object.metadata!.uid!;
          if (ev.type === 'DELETED') held.delete(uid);
          else held.set(uid, ev.object);
        }
      },
      snapshot: () => [...held.values()],
      update: () => [...held.values()],
      close: () => {},
    };
  }
  if (config.impl !== 'entity-adapter') {
    const fx = await katesFixture(config.kind, config.n, {
      namespace,
      freeze: config.impl === 'kates-frozen',
    });
    const snap: Record<string, readonly KubernetesObject[]> = {};
    fx.acc.update(snap);
    return {
      apply: (events) => fx.dispatchEvents(events),
      snapshot: () => fx.acc.getSnapshot().objects ?? [],
      update: () => fx.acc.update(snap),
      close: () => fx.close(),
    };
  }
  const ea = createEntityAdapterStore(entityStateOf(listed(config.kind, config.n, namespace)));
  ea.snapshot();
  return {
    apply: (events) => ea.applyEvents(events),
    snapshot: () => ea.snapshot(),
    update: () => ea.snapshot(),
    close: () => {},
  };
}

const now = () => performance.now();
/**
 * A full collection between phases, so that no phase pays for the garbage of the one before
 * (workers run with --expose-gc); the same for every store measured.
 */
const settle = () => (globalThis as { gc?: () => void }).gc?.();

/** Runs the micro-benchmark; the caller runs it in a fresh process for clean numbers. */
export async function runStoreBench(config: StoreBenchConfig): Promise<StoreBenchResult> {
  const namespace = 'bench';
  const rt = RESOURCES[config.kind];
  const total =
    config.warmupEvents + config.singleEvents + config.batches * config.batchSize + config.updates;
  const lines = eventLines(config.kind, config.n, namespace, total, config.n + 1);
  const parse = (line: string): WatchEventPayload => {
    const parsed = parseWatchLine(line, rt);
    if (parsed.kind !== 'event') throw new Error(`bench event line did not parse: ${parsed.kind}`);
    return parsed.event;
  };

  const t0 = now();
  const subject = await subjectOf(config, namespace);
  const buildMs = now() - t0;

  // Newest generation written per uid, to check the final snapshot.
  const newest = new Map<string, string>();
  const applied = (ev: WatchEventPayload) => {
    const uid = ev.object.metadata?.uid;
    if (uid) newest.set(uid, ev.object.metadata?.annotations?.['bench.kates.io/generation'] ?? '');
  };

  let next = 0;
  const warmupStart = now();
  // The slow stores get what fits in a tenth of the budget.
  while (next < config.warmupEvents && now() - warmupStart < config.budgetMs / 10) {
    const ev = parse(lines[next++]!);
    subject.apply([ev]);
    applied(ev);
  }
  const firstTimed = config.warmupEvents;
  next = firstTimed;
  settle();
  const singleUs: number[] = [];
  let singleParseUs = 0;
  const singleStart = now();
  while (singleUs.length < config.singleEvents && now() - singleStart < config.budgetMs) {
    const t = now();
    const ev = parse(lines[next++]!);
    const parsed = now();
    subject.apply([ev]);
    singleUs.push((now() - t) * 1000);
    singleParseUs += (parsed - t) * 1000;
    applied(ev);
  }
  next = firstTimed + config.singleEvents;
  // A batch is one apply: for a store that takes 0.1 s an event, 1000 would overrun the budget 50
  // times, so batches are cut to what fits (the result says the size used).
  const meanSingleMs = singleUs.reduce((a, b) => a + b, 0) / Math.max(1, singleUs.length) / 1000;
  const batchSize = Math.max(
    1,
    Math.min(config.batchSize, Math.floor(config.budgetMs / 4 / Math.max(meanSingleMs, 1e-6))),
  );
  settle();
  let batched = 0;
  let batchedMs = 0;
  let batchedParseMs = 0;
  const batchStart = now();
  for (let b = 0; b < config.batches && now() - batchStart < config.budgetMs; b++) {
    const t = now();
    const events = lines.slice(next, next + batchSize).map(parse);
    const parsed = now();
    subject.apply(events);
    batchedMs += now() - t;
    batchedParseMs += parsed - t;
    batched += events.length;
    next += batchSize;
    for (const ev of events) applied(ev);
  }
  next = firstTimed + config.singleEvents + config.batches * config.batchSize;
  settle();
  const updateMs: number[] = [];
  const updateStart = now();
  for (let u = 0; u < config.updates && now() - updateStart < config.budgetMs; u++) {
    // A change comes on a turn of its own (a watch read), never in the same synchronous run as
    // the last update, as in a controller.
    await nextTurn();
    const ev = parse(lines[next++]!);
    subject.apply([ev]);
    applied(ev);
    const t = now();
    subject.update();
    updateMs.push(now() - t);
  }

  const problems = check(subject.snapshot(), config.n, newest, config.impl.startsWith('kates'));
  subject.close();
  const meanUs = singleUs.reduce((a, b) => a + b, 0) / Math.max(1, singleUs.length);
  return {
    impl: config.impl,
    kind: config.kind,
    n: config.n,
    buildMs,
    single: {
      events: singleUs.length,
      us: summarize(singleUs),
      meanUs,
      eventsPerSec: 1e6 / meanUs,
      parseMeanUs: singleParseUs / Math.max(1, singleUs.length),
    },
    batched: {
      batchSize,
      batches: batched / batchSize,
      eventsPerSec: batched / (batchedMs / 1000),
      storeEventsPerSec: batched / ((batchedMs - batchedParseMs) / 1000),
      parseOnlyPerSec: batched / (batchedParseMs / 1000),
    },
    updateMs: summarize(updateMs),
    correct: problems.length === 0,
    problems,
  };
}

function check(
  items: ReturnType<Subject['snapshot']>,
  n: number,
  newest: Map<string, string>,
  sorted: boolean,
): string[] {
  const problems: string[] = [];
  if (items.length !== n) problems.push(`snapshot holds ${items.length} objects, expected ${n}`);
  // kates snapshots are sorted by namespace and name; the entity adapter keeps insertion order.
  for (let i = 1; sorted && i < items.length; i++) {
    if ((items[i - 1]!.metadata?.name ?? '') >= (items[i]!.metadata?.name ?? '')) {
      problems.push(`snapshot not sorted at ${i}`);
      break;
    }
  }
  const byUid = new Map(items.map((o) => [o.metadata?.uid ?? '', o]));
  for (const [uid, generation] of newest) {
    const got = byUid.get(uid)?.metadata?.annotations?.['bench.kates.io/generation'];
    if (got !== generation) {
      problems.push(`object ${uid} shows generation ${got}, expected ${generation}`);
      break;
    }
  }
  return problems;
}
