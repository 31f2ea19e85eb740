/**
 * Time travel: record a store's actions as JSON lines, replay them step by step into the very
 * snapshots the live process saw, and inspect them. Browser-safe; the file sink and the DevTools
 * connection for Node are in `./node.js`.
 */

export { type CheckpointLine, checkpointLines, stateFromCheckpoint } from './checkpoint.js';
export * from './devtools-sanitize.js';
export * from './diff.js';
export { fnv64 } from './fnv.js';
export * from './format.js';
export { parseRecording } from './parse.js';
export { formatPath, parsePath } from './path.js';
export { createRecorder, type Recorder, type RecorderOptions, type RecorderStats } from './recorder.js';
export {
  isSecret,
  REDACTED,
  type RedactionOptions,
  type RedactionPolicy,
  type RedactionRule,
  Redactor,
} from './redact.js';
export * from './replay.js';
export * from './sink.js';
export * from './snapshot.js';
export { SNAPSHOT_HASH, SnapshotHasher } from './snapshot-hash.js';
