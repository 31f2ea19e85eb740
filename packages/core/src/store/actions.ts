import { createAction } from '@reduxjs/toolkit';
import type { KubernetesObject, WatchEventType } from '../model/object.js';
import type { ErrorInfo, QuerySpec, ReflectorPhase } from './state.js';

/**
 * Every input to the store is one of these plain, serializable actions, so a recording of them
 * is a complete history that replays into the same states. Objects travel in batches.
 */
const prefix = 'kates';

export interface QueryAddedPayload extends QuerySpec {
  readonly id: string;
  readonly accumulator: string;
}
/** An accumulator's query, before its kind is resolved. */
export const queryAdded = createAction<QueryAddedPayload>(`${prefix}/queryAdded`);
/** The query's kind resolved; it reads the watch `watchKey`. */
export const queryBound = createAction<{ id: string; groupKind: string; watchKey: string }>(
  `${prefix}/queryBound`,
);
/** The query cannot be served (yet): unknown kind, forbidden, or another error. */
export const queryFailed = createAction<{
  id: string;
  phase: 'unserved' | 'forbidden' | 'error';
  error: ErrorInfo;
}>(`${prefix}/queryFailed`);
export const queryRemoved = createAction<{ id: string }>(`${prefix}/queryRemoved`);

export interface ReflectorAddedPayload {
  readonly key: string;
  readonly groupKind: string;
  readonly apiVersion: string;
  readonly resource: string;
  readonly namespace?: string;
  readonly labelSelector: string;
  readonly fieldSelector: string;
}
export const reflectorAdded = createAction<ReflectorAddedPayload>(`${prefix}/reflectorAdded`);
export const reflectorRemoved = createAction<{ key: string }>(`${prefix}/reflectorRemoved`);

/** A change of phase; `count` bumps one counter (a relist or a reconnect). */
export const reflectorStatus = createAction<{
  key: string;
  phase: ReflectorPhase;
  error?: ErrorInfo | null;
  attempt?: number;
  retryAt?: string | null;
  count?: 'relists' | 'reconnects';
}>(`${prefix}/reflectorStatus`);

/** A list starts; what readers see does not change until `listCompleted`. */
export const listStarted = createAction<{ key: string }>(`${prefix}/listStarted`);
/** One page (or one chunk of a streaming list) of a list in progress. */
export const listPage = createAction<{ key: string; items: KubernetesObject[] }>(`${prefix}/listPage`);
/** The list is complete at `resourceVersion`: it replaces what the watch held, atomically. */
export const listCompleted = createAction<{ key: string; resourceVersion: string }>(
  `${prefix}/listCompleted`,
);

export interface WatchEventPayload {
  readonly type: Exclude<WatchEventType, 'ERROR'>;
  readonly object: KubernetesObject;
}
/** A batch of watch events of one watch, in the order received. */
export const watchEvents = createAction<{ key: string; events: WatchEventPayload[] }>(
  `${prefix}/watchEvents`,
);
/** A line that could not be used (not JSON, no uid); the stream went on. */
export const poisonLine = createAction<{ key: string; text: string }>(`${prefix}/poisonLine`);

/** The result of a write through the client (read/write coherence). */
export const localWrite = createAction<{
  groupKind: string;
  object: KubernetesObject;
  deleted: boolean;
  verb: string;
}>(`${prefix}/localWrite`);

/**
 * The API server's state at `resourceVersion` no longer has these UIDs, deleted through the client
 * with a `Status` answer (which carries no resourceVersion): the client learns the version from a
 * consistent list after the delete, so the store knows when every watch has passed the deletion.
 */
export const deletionVersion = createAction<{ groupKind: string; uids: string[]; resourceVersion: string }>(
  `${prefix}/deletionVersion`,
);
