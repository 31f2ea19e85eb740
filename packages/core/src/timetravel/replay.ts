import { configureStore, createAction, type EnhancedStore } from '@reduxjs/toolkit';
import { katesReducer } from '../store/reducer.js';
import type { KatesState } from '../store/state.js';
import type { KatesRootState } from '../store/store.js';
import type { RecordedAction, Recording } from './format.js';
import { parseRecording } from './parse.js';
import { Redactor } from './redact.js';
import { SNAPSHOT_HASH, SnapshotHasher } from './snapshot-hash.js';

/** Options of {@link replay}. */
export interface ReplayOptions {
  /** Keep the state every this many steps, to step back fast (default 256). */
  readonly checkpointEvery?: number;
  /**
   * Check each step's hash against the recording when it is first computed (default true).
   * `'report'` records mismatches in `mismatches` instead of throwing.
   */
  readonly verify?: boolean | 'report';
}

/** A step whose state differs from what the recorded process saw. */
export interface ReplayMismatch {
  readonly step: number;
  readonly actionType: string;
  readonly expected: string;
  readonly actual: string;
}

/** Thrown when a replayed state differs from the recorded one. */
export class ReplayMismatchError extends Error {
  override readonly name = 'ReplayMismatchError';
  constructor(readonly mismatch: ReplayMismatch) {
    super(
      `replay step ${mismatch.step} (${mismatch.actionType}) rebuilt a snapshot with hash ${mismatch.actual}, ` +
        `but the recorded process saw ${mismatch.expected}: the recording was edited, or written by a kates whose ` +
        'reducer differs from this one; replay it with the kates version that recorded it',
    );
  }
}

/** The action the replay store understands: show the state of a step. */
export const replaySeek = createAction<{ step: number; state: KatesState }>('kates-replay/seek');

/** The store a replay drives: read it like a live kates store (`state.kates`), with selectors and hooks. */
export type ReplayStore = EnhancedStore<KatesRootState>;

/**
 * A recording, replayed: a store that steps forward and back to any action index. Step `i` is the
 * state after action `i`; step `first` (`header.firstIndex - 1`, 0 for a whole recording) is the
 * state before any. States are rebuilt with the real `katesReducer` from the recording's initial
 * state; every `checkpointEvery` steps one is kept (states are persistent, so keeping them costs
 * only what changed), and stepping back re-reduces from the nearest kept one.
 */
export class ReplaySession {
  readonly recording: Recording;
  readonly store: ReplayStore;
  /** The first step (the checkpoint state) and the last (after the last action). */
  readonly first: number;
  readonly last: number;
  /** Mismatches found so far, with `verify: 'report'`. */
  readonly mismatches: ReplayMismatch[] = [];
  private readonly every: number;
  private readonly verify: boolean | 'report';
  private readonly hasher: SnapshotHasher;
  /** kept[k] is the state at step first + k * every. */
  private readonly kept: KatesState[];
  /** The furthest step whose state was computed and checked. */
  private verifiedTo: number;
  private verifiedState: KatesState;
  private current: number;
  private currentState: KatesState;

  constructor(recording: Recording | string, options: ReplayOptions = {}) {
    this.recording = typeof recording === 'string' ? parseRecording(recording) : recording;
    const { header } = this.recording;
    if (header.hashAlgorithm !== SNAPSHOT_HASH) {
      throw new Error(
        `recording hashes snapshots with "${header.hashAlgorithm}"; this kates knows "${SNAPSHOT_HASH}": ` +
          'replay it with the kates version that recorded it',
      );
    }
    this.every = Math.max(1, options.checkpointEvery ?? 256);
    this.verify = options.verify ?? true;
    this.hasher = new SnapshotHasher(new Redactor(header.redaction));
    this.first = header.firstIndex - 1;
    this.last = this.first + this.recording.actions.length;
    this.kept = [this.recording.initialState];
    this.verifiedTo = this.first;
    this.verifiedState = this.recording.initialState;
    this.check(this.first, this.recording.initialState);
    this.current = this.first;
    this.currentState = this.recording.initialState;
    this.store = configureStore({
      reducer: (root: KatesRootState = { kates: this.currentState }, action) =>
        replaySeek.match(action) ? { kates: action.payload.state } : root,
      middleware: (getDefault) =>
        getDefault({ serializableCheck: false, immutableCheck: false, thunk: false }),
      devTools: false,
    }) as ReplayStore;
  }

  /** The step shown. */
  get step(): number {
    return this.current;
  }

  /** The state shown (`store.getState().kates`). */
  get state(): KatesState {
    return this.currentState;
  }

  /** The recorded action that led to `step` (undefined for the first step). */
  actionAt(step: number): RecordedAction | undefined {
    return step > this.first && step <= this.last ? this.recording.actions[step - this.first - 1] : undefined;
  }

  /** The state at `step`, without moving. */
  stateAt(step: number): KatesState {
    this.checkStep(step);
    if (step === this.current) return this.currentState;
    this.advanceVerified(step);
    if (step === this.verifiedTo) return this.verifiedState;
    const k = Math.floor((step - this.first) / this.every);
    let from = this.first + k * this.every;
    let state = this.kept[k]!;
    // Stepping forward within a kept window goes on from the state shown.
    if (this.current > from && this.current < step) {
      from = this.current;
      state = this.currentState;
    }
    for (let s = from + 1; s <= step; s++) state = katesReducer(state, this.actionAt(s)!.action);
    return state;
  }

  /** Shows `step`; the store notifies its subscribers. */
  seek(step: number): KatesState {
    const state = this.stateAt(step);
    this.current = step;
    this.currentState = state;
    this.store.dispatch(replaySeek({ step, state }));
    return state;
  }

  forward(n = 1): KatesState {
    return this.seek(Math.min(this.last, this.current + n));
  }

  back(n = 1): KatesState {
    return this.seek(Math.max(this.first, this.current - n));
  }

  /** The first step after `from` whose action satisfies `predicate`, or undefined. */
  find(predicate: (recorded: RecordedAction) => boolean, from = this.first): number | undefined {
    for (let s = Math.max(from, this.first) + 1; s <= this.last; s++)
      if (predicate(this.actionAt(s)!)) return s;
    return undefined;
  }

  /** Replays every step and checks every hash. */
  verifyAll(): { readonly steps: number; readonly mismatches: readonly ReplayMismatch[] } {
    this.advanceVerified(this.last);
    return { steps: this.last - this.first, mismatches: this.mismatches };
  }

  private checkStep(step: number): void {
    if (!Number.isInteger(step) || step < this.first || step > this.last) {
      throw new RangeError(
        `step ${step} is outside this recording: steps go from ${this.first} to ${this.last}`,
      );
    }
  }

  /** Computes (and checks) every step up to `step` once, keeping a state every `every` steps. */
  private advanceVerified(step: number): void {
    if (step <= this.verifiedTo) return;
    let state = this.verifiedState;
    for (let s = this.verifiedTo + 1; s <= step; s++) {
      state = katesReducer(state, this.actionAt(s)!.action);
      this.check(s, state);
      if ((s - this.first) % this.every === 0) this.kept[(s - this.first) / this.every] = state;
    }
    this.verifiedTo = step;
    this.verifiedState = state;
  }

  private check(step: number, state: KatesState): void {
    if (this.verify === false) return;
    const expected = step === this.first ? this.recording.header.hash : this.actionAt(step)!.hash;
    const actual = this.hasher.hash(state);
    if (actual === expected) return;
    const mismatch = {
      step,
      actionType: this.actionAt(step)?.action.type ?? '(initial state)',
      expected,
      actual,
    };
    if (this.verify === 'report') this.mismatches.push(mismatch);
    else throw new ReplayMismatchError(mismatch);
  }
}

/** Replays a recording (its text, or a parsed one). */
export function replay(recording: Recording | string, options?: ReplayOptions): ReplaySession {
  return new ReplaySession(recording, options);
}
