import type { KatesState } from '../store/state.js';
import { type CheckpointLine, stateFromCheckpoint } from './checkpoint.js';
import {
  RECORDING_FORMAT,
  RECORDING_VERSION,
  type RecordedAction,
  type Recording,
  RecordingFormatError,
  type RecordingHeader,
} from './format.js';

function* linesOf(input: string | Iterable<string>): Iterable<string> {
  if (typeof input !== 'string') {
    yield* input;
    return;
  }
  let start = 0;
  while (start < input.length) {
    let end = input.indexOf('\n', start);
    if (end < 0) end = input.length;
    yield input.slice(start, end);
    start = end + 1;
  }
}

function asHeader(value: unknown, line: number): RecordingHeader | undefined {
  const h = value as Partial<RecordingHeader> | null;
  if (!h || typeof h !== 'object' || !('format' in h)) return undefined;
  if (h.format !== RECORDING_FORMAT) {
    throw new RecordingFormatError(
      `format "${String(h.format)}" is not a kates recording (expected "${RECORDING_FORMAT}")`,
      line,
    );
  }
  if (h.version !== RECORDING_VERSION) {
    throw new RecordingFormatError(
      `recording version ${String(h.version)} is not supported by this kates (it reads ` +
        `version ${RECORDING_VERSION}); use the kates version that wrote it`,
      line,
    );
  }
  if (
    typeof h.firstIndex !== 'number' ||
    typeof h.hash !== 'string' ||
    typeof h.checkpointLines !== 'number' ||
    !h.redaction
  ) {
    throw new RecordingFormatError('the header lacks firstIndex, hash, checkpointLines or redaction', line);
  }
  return h as RecordingHeader;
}

/**
 * Parses a recording: the text of a file (or its lines), one segment or several in a row. Lines
 * are checked as they are read: numbering, continuity between segments, checkpoint length.
 * A last line cut short (a process stopped while writing) is left out and reported in `truncated`.
 * @throws RecordingFormatError naming the line and what is wrong.
 */
export function parseRecording(input: string | Iterable<string>): Recording {
  let header: RecordingHeader | undefined;
  let initialState: KatesState | undefined;
  const actions: RecordedAction[] = [];
  let segments = 0;
  let checkpoint: CheckpointLine[] = [];
  let checkpointLeft = 0;
  let lastIndex = 0;
  let lastHash = '';
  let truncated = false;
  let lineNo = 0;
  let bad: { line: number; error: Error } | undefined;

  for (const raw of linesOf(input)) {
    lineNo++;
    const text = raw.trim();
    if (!text) continue;
    if (bad) throw new RecordingFormatError(`not JSON (${bad.error.message})`, bad.line);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      // Only the very last line may be cut short; decide when we know whether more follow.
      bad = { line: lineNo, error: e as Error };
      continue;
    }
    const h = asHeader(value, lineNo);
    if (h) {
      if (checkpointLeft > 0)
        throw new RecordingFormatError(`a header came ${checkpointLeft} checkpoint lines early`, lineNo);
      if (segments > 0 && (h.firstIndex !== lastIndex + 1 || h.hash !== lastHash)) {
        throw new RecordingFormatError(
          `segment ${h.segment} starts at action ${h.firstIndex} (hash ${h.hash}) but the ` +
            `segment before it ended at action ${lastIndex} (hash ${lastHash}): read consecutive segments, oldest first`,
          lineNo,
        );
      }
      if (segments === 0) {
        header = h;
        lastIndex = h.firstIndex - 1;
        lastHash = h.hash;
      }
      segments++;
      checkpointLeft = h.checkpointLines;
      checkpoint = [];
      continue;
    }
    if (!header)
      throw new RecordingFormatError(`the first line must be a ${RECORDING_FORMAT} header`, lineNo);
    if (checkpointLeft > 0) {
      if (typeof (value as { checkpoint?: unknown }).checkpoint !== 'string')
        throw new RecordingFormatError(`expected ${checkpointLeft} more checkpoint lines`, lineNo);
      checkpointLeft--;
      if (segments === 1) {
        checkpoint.push(value as CheckpointLine);
        if (checkpointLeft === 0) initialState = buildState(checkpoint, lineNo);
      }
      continue;
    }
    const a = value as Partial<RecordedAction>;
    if (typeof a.i !== 'number' || typeof a.action?.type !== 'string' || typeof a.hash !== 'string') {
      throw new RecordingFormatError('expected an action line {i, t, action, hash}', lineNo);
    }
    if (a.i !== lastIndex + 1) {
      throw new RecordingFormatError(
        `action ${a.i} follows action ${lastIndex}: lines are missing or out of order`,
        lineNo,
      );
    }
    lastIndex = a.i;
    lastHash = a.hash;
    actions.push(a as RecordedAction);
  }
  if (bad) truncated = true;
  if (!header) throw new RecordingFormatError(`empty: no ${RECORDING_FORMAT} header found`);
  if (checkpointLeft > 0) {
    throw new RecordingFormatError(
      `the recording ends inside a checkpoint (${checkpointLeft} lines missing)`,
      lineNo,
    );
  }
  initialState ??= buildState(checkpoint, lineNo);
  return { header, initialState, actions, segments, truncated };
}

function buildState(lines: CheckpointLine[], lineNo: number): KatesState {
  try {
    return stateFromCheckpoint(lines);
  } catch (e) {
    throw new RecordingFormatError((e as Error).message, lineNo);
  }
}
