/**
 * `@kates/core/internal`: what the other kates packages (`@kates/react`, `@kates/testing`, the
 * benchmarks) share with core beyond its public surface: the store's action creators one by one
 * (users have them as `katesActions`), accumulators over a host of one's own, the reflector, the
 * watch multiplexing protocol of the proxy, and the label validation of the fake API server.
 * Browser-safe. Not covered by semver: it changes with the packages that use it, which are
 * released together at the same version.
 *
 * @internal
 * @packageDocumentation
 */

export { type AccumulatorHost, createAccumulator } from './accumulator/index.js';
export { collectionPath, objectPath } from './discovery/index.js';
export {
  createWatchHost,
  DEFAULT_LIST_PAGE_SIZE,
  parseWatchLine,
  Reflector,
  type ReflectorTarget,
  STREAMED_ABOVE_CHARS,
  STREAMED_ABOVE_PAGES,
} from './reflector/index.js';
export { compareResourceVersions, isNewerResourceVersion } from './resource-version.js';
export { labelKeyError, labelValueError } from './selector/index.js';
export {
  listCompleted,
  listPage,
  listStarted,
  localWrite,
  poisonLine,
  type QueryAddedPayload,
  queryAdded,
  queryBound,
  queryFailed,
  queryRemoved,
  type ReflectorAddedPayload,
  reflectorAdded,
  reflectorRemoved,
  reflectorStatus,
  type WatchEventPayload,
  watchEvents,
} from './store/index.js';
export { findSorted, freezeSorted, isSortedField } from './store/sorted-items.js';
export { splitLines } from './transport/lines.js';
export {
  acceptsJson,
  conversionOf,
  fromPartialObjectMetadata,
  isMetadataOnly,
  META_V1,
  METADATA_ACCEPT,
  METADATA_LIST_ACCEPT,
  type MediaRange,
  parseAccept,
  toPartialObjectMetadata,
} from './transport/media-type.js';
export { projectionParamOf } from './transport/projection.js';
export { whenSent } from './transport/sent.js';
export {
  formatMuxFrame,
  isWatchRequest,
  type MuxFrame,
  type MuxWatchRequest,
  parseMuxFrame,
  WATCH_MUX_PATH,
} from './transport/watch-mux-protocol.js';
