import type { StoreEnhancer, UnknownAction } from '@reduxjs/toolkit';
import type { KatesState } from '../store/state.js';
import { checkpointLines } from './checkpoint.js';
import { RECORDING_FORMAT, RECORDING_VERSION, type RecordedAction, type RecordingHeader } from './format.js';
import { type RedactionOptions, Redactor } from './redact.js';
import type { RecordingSink } from './sink.js';
import { SNAPSHOT_HASH, SnapshotHasher } from './snapshot-hash.js';

/** Options of {@link createRecorder}. */
export interface RecorderOptions {
  /** Where lines go: `fileSink(path)` (Node), `memorySink()`, `streamSink(stream)`. */
  readonly sink: RecordingSink;
  /** What to redact before writing; everything is on by default. `false` writes Secrets in clear. */
  readonly redaction?: RedactionOptions | false;
  /** Where the kates slice is in the root state (default `root.kates`). */
  readonly selectSlice?: (root: unknown) => KatesState;
  /** Start a new segment once the action lines of this one reach this many characters (default 64 MiB). */
  readonly maxSegmentBytes?: number;
  /** Start a new segment once this one is this old, in ms (default: no time bound). */
  readonly maxSegmentMs?: number;
  /** Which actions to record (default: `kates/` actions, the only ones that change the slice). */
  readonly record?: (action: UnknownAction) => boolean;
  /** Called when writing fails; recording then stops (a recording with a hole cannot replay). */
  readonly onError?: (error: Error) => void;
  /** Clock, for tests. */
  readonly now?: () => number;
}

/** What a recorder has done. */
export interface RecorderStats {
  readonly actions: number;
  /** Characters written (about bytes: the lines are JSON, mostly ASCII). */
  readonly bytes: number;
  readonly segments: number;
  /** State changes that came without an action through `dispatch` (such as a DevTools jump). */
  readonly unrecordedChanges: number;
  /** Time spent hashing states and writing lines, ms. */
  readonly hashMs: number;
  readonly writeMs: number;
  /** Set when recording stopped on an error. */
  readonly error?: string;
}

/** A recorder: its store enhancer, its statistics, and how to stop it. */
export interface Recorder {
  /**
   * The store enhancer: `createKatesStore({ enhancers: [recorder.enhancer] })`. Put it before a
   * DevTools enhancer, so that it sees the store's own actions and state.
   */
  readonly enhancer: StoreEnhancer;
  stats(): RecorderStats;
  flush(): void;
  /** Stops recording, flushes and closes the sink. */
  close(): Promise<void>;
}

const isKates = (a: UnknownAction) => typeof a?.type === 'string' && a.type.startsWith('kates/');
const defaultSlice = (root: unknown) => (root as { kates: KatesState }).kates;

/**
 * Records a store: every action after the initial state, as JSON lines, each with the hash of the
 * snapshot-relevant state after it (see {@link SnapshotHasher}), redacted before anything is
 * written. Bounded by segment size or age: a new segment starts with a checkpoint of the state,
 * so each segment replays alone; the sink decides how many segments to keep.
 *
 * Actions are recorded in the order the reducer saw them, even when a listener dispatches while
 * another dispatch notifies: the recorder's listener is the store's first.
 */
export function createRecorder(options: RecorderOptions): Recorder {
  const { sink } = options;
  const redactor = new Redactor(options.redaction ?? {});
  const hasher = new SnapshotHasher(redactor);
  const selectSlice = options.selectSlice ?? defaultSlice;
  const shouldRecord = options.record ?? isKates;
  const maxBytes = options.maxSegmentBytes ?? 64 * 1024 * 1024;
  const maxMs = options.maxSegmentMs ?? Number.POSITIVE_INFINITY;
  const now = options.now ?? Date.now;
  const startedMs = now();
  const startedAt = new Date(startedMs).toISOString();
  let attached = false;
  let stopped = false;
  let unsubscribe: (() => void) | undefined;
  let index = 0;
  let segment = -1;
  let segmentStartMs = startedMs;
  let segmentBytes = 0;
  const stats = {
    actions: 0,
    bytes: 0,
    segments: 0,
    unrecordedChanges: 0,
    hashMs: 0,
    writeMs: 0,
    error: undefined as string | undefined,
  };

  const write = (line: string) => {
    sink.write(line);
    stats.bytes += line.length + 1;
  };

  const startSegment = (state: KatesState) => {
    if (segment >= 0) sink.rotate();
    segment++;
    stats.segments++;
    segmentStartMs = now();
    segmentBytes = 0;
    const lines = checkpointLines(state, redactor).map((l) => JSON.stringify(l));
    const header: RecordingHeader = {
      format: RECORDING_FORMAT,
      version: RECORDING_VERSION,
      startedAt,
      segment,
      segmentStartedAt: new Date(segmentStartMs).toISOString(),
      firstIndex: index + 1,
      hash: hasher.hash(state),
      hashAlgorithm: SNAPSHOT_HASH,
      redaction: redactor.policy,
      checkpointLines: lines.length,
    };
    write(JSON.stringify(header));
    for (const l of lines) write(l);
  };

  const fail = (e: unknown) => {
    stopped = true;
    unsubscribe?.();
    const error = e instanceof Error ? e : new Error(String(e));
    stats.error = `recording stopped after action ${index}: ${error.message}`;
    if (options.onError) options.onError(error);
    else console.warn(`kates recorder: ${stats.error}`);
  };

  const record = (action: UnknownAction, state: KatesState) => {
    const t0 = performance.now();
    const hash = hasher.hash(state);
    const t1 = performance.now();
    const entry: RecordedAction = {
      i: ++index,
      t: Math.round(now() - startedMs),
      action: redactor.action(action),
      hash,
    };
    const line = JSON.stringify(entry);
    write(line);
    segmentBytes += line.length + 1;
    stats.actions++;
    stats.hashMs += t1 - t0;
    stats.writeMs += performance.now() - t1;
    if (segmentBytes >= maxBytes || now() - segmentStartMs >= maxMs) startSegment(state);
  };

  const enhancer: StoreEnhancer = (next) => (reducer, preloaded) => {
    if (attached) throw new Error('this recorder already records a store: create one recorder per store');
    attached = true;
    const store = next(reducer, preloaded);
    const dispatching: UnknownAction[] = [];
    let last = selectSlice(store.getState());
    try {
      startSegment(last);
    } catch (e) {
      fail(e);
    }
    // Subscribed before anyone else can be: it runs first after each dispatch, so a listener that
    // dispatches cannot get its action recorded before the one being notified.
    unsubscribe = store.subscribe(() => {
      if (stopped) return;
      const state = selectSlice(store.getState());
      const action = dispatching[dispatching.length - 1];
      if (!action) {
        if (state !== last) stats.unrecordedChanges++;
      } else if (shouldRecord(action)) {
        try {
          record(action, state);
        } catch (e) {
          fail(e);
        }
      }
      last = state;
    });
    const dispatch = ((action: UnknownAction) => {
      dispatching.push(action);
      try {
        return store.dispatch(action as Parameters<typeof store.dispatch>[0]);
      } finally {
        dispatching.pop();
      }
    }) as typeof store.dispatch;
    return { ...store, dispatch };
  };

  return {
    enhancer,
    stats: () => ({ ...stats, ...(stats.error ? { error: stats.error } : {}) }),
    flush: () => sink.flush?.(),
    async close() {
      if (!stopped) {
        stopped = true;
        unsubscribe?.();
      }
      sink.flush?.();
      await sink.close?.();
    },
  };
}
