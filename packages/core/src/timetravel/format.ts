import type { UnknownAction } from '@reduxjs/toolkit';
import type { KatesState } from '../store/state.js';
import type { RedactionPolicy } from './redact.js';

/**
 * A recording is JSON lines, in segments. Each segment starts with a {@link RecordingHeader}, then
 * `header.checkpointLines` checkpoint lines (the state the segment starts from), then one
 * {@link RecordedAction} per action. A file holds one segment (rotation starts a new file) or
 * several in a row (a stream); consecutive segments join into one recording.
 *
 * ```
 * {"format":"kates-recording","version":1,"startedAt":"...","segment":0,"firstIndex":1,"hash":"...",...}
 * {"checkpoint":"store","seq":0,"localPending":{}}
 * {"i":1,"t":0,"action":{"type":"kates/queryAdded","payload":{...}},"hash":"9f0c..."}
 * ```
 */
export const RECORDING_FORMAT = 'kates-recording';
export const RECORDING_VERSION = 1;

/** The first line of a segment. */
export interface RecordingHeader {
  readonly format: typeof RECORDING_FORMAT;
  readonly version: typeof RECORDING_VERSION;
  /** When the recording (its first segment) started, ISO time; `t` of actions counts from it. */
  readonly startedAt: string;
  /** This segment's number, 0 for the first. */
  readonly segment: number;
  readonly segmentStartedAt: string;
  /** The index `i` of the segment's first action; the checkpoint is the state at step `firstIndex - 1`. */
  readonly firstIndex: number;
  /** The snapshot hash of the checkpoint state (see `SnapshotHasher`). */
  readonly hash: string;
  /** The name of the hash function, such as `kates-snapshot-fnv1a64/v1`. */
  readonly hashAlgorithm: string;
  /** What was redacted before writing (replay hashes by the same policy). */
  readonly redaction: RedactionPolicy;
  /** How many checkpoint lines follow the header. */
  readonly checkpointLines: number;
}

/** One action, as dispatched (redacted), with the snapshot hash of the state after it. */
export interface RecordedAction {
  /** 1, 2, 3, ... across segments: replay step `i` is the state after this action. */
  readonly i: number;
  /** Milliseconds since `startedAt`. */
  readonly t: number;
  readonly action: UnknownAction;
  readonly hash: string;
}

/** A parsed recording: the state it starts from and its actions. */
export interface Recording {
  /** The header of the first segment read. */
  readonly header: RecordingHeader;
  /** The state at step `header.firstIndex - 1`, rebuilt from the checkpoint. */
  readonly initialState: KatesState;
  readonly actions: readonly RecordedAction[];
  /** Segments joined. */
  readonly segments: number;
  /** The last line was cut short (the process stopped while writing it) and was left out. */
  readonly truncated: boolean;
}

/** A recording that cannot be read; the message names the line and what to do. */
export class RecordingFormatError extends Error {
  override readonly name = 'RecordingFormatError';
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
  }
}
