/**
 * `@kates/core/browser`: everything of `@kates/core` that runs in a browser (no Node transport,
 * no files). The list below is the package's public surface; what the other kates packages share
 * beyond it is in `@kates/core/internal`. `npm run api:check` compares it with `api/core-browser.api.md`.
 * @packageDocumentation
 */

// Accumulator: a coherent snapshot of several queries.
export {
  Accumulator,
  type AccumulatorOptions,
  type Delta,
  type MetadataOnlyObject,
  type ObjectOfQuery,
  type Query,
  type SnapshotOf,
  type SnapshotTarget,
} from './accumulator/index.js';

// Client: CRUD on any kind, named as kubectl names it, and `watch()`.
export {
  type ApplyOptions,
  Client,
  type ClientOptions,
  type ClientWrite,
  type DeleteOptions,
  type DeleteResult,
  type FieldSelectorInput,
  type FieldValidation,
  type GetOptions,
  type KindRef,
  type KindResult,
  keepFields,
  type LabelSelectorInput,
  type ListOptions,
  type ListPage,
  type Modifier,
  type PatchOptions,
  type PatchType,
  type RetryOptions,
  type Stored,
  type WriteOptions,
  type WriteVerb,
} from './client/browser.js';

// Discovery: kinds as kubectl names them.
export {
  apiVersionOf,
  type Catalog,
  type DiscoveredGroup,
  Discovery,
  type DiscoveryOptions,
  type DiscoveryStats,
  groupKindOf,
  type ResourceType,
} from './discovery/index.js';

// Errors.
export {
  ApiError,
  type ApiErrorContext,
  type ApiErrorInit,
  type FieldCause,
  InvalidInputError,
  invalidCauses,
  isAlreadyExists,
  isConflict,
  isForbidden,
  isGone,
  isInvalid,
  isNotFound,
  isUnserved,
  UnknownKindError,
} from './errors/index.js';

// Objects as JSON, typed kinds.
export {
  type ClusterRole,
  type ClusterRoleBinding,
  type ConfigMap,
  type CronJob,
  type CustomResourceDefinition,
  type DaemonSet,
  type Deployment,
  type EndpointSlice,
  type Endpoints,
  type Event,
  type Ingress,
  type Job,
  type Jsonify,
  type KindTypes,
  type KubernetesList,
  type KubernetesObject,
  type Lease,
  type ListMeta,
  type Namespace,
  type Node,
  nameOf,
  type ObjectMeta,
  type ObjectReference,
  type OwnerReference,
  type PersistentVolumeClaim,
  type Pod,
  type ReplicaSet,
  type Role,
  type RoleBinding,
  type Secret,
  type Service,
  type ServiceAccount,
  type StatefulSet,
  type Status,
  type TypeOfKind,
  uidOf,
  type WatchEvent,
  type WatchEventType,
} from './model/index.js';

// Watches: the settings of the reflectors behind `watch()`.
export {
  Backoff,
  type BackoffOptions,
  dropManagedFields,
  type ObjectTransform,
  type ReflectorOptions,
} from './reflector/index.js';

// Label and field selectors, parsed and matched as the API server does.
export {
  formatSelector,
  type LabelSelectorObject,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  type Requirement,
  type Selector,
  SelectorError,
  type SelectorOperator,
} from './selector/index.js';

// The Redux slice: a store of its own, or mounted in yours.
export {
  createKatesReducer,
  createKatesSelectors,
  createKatesStore,
  type ErrorInfo,
  freezeByDefault,
  initialKatesState,
  type KatesReducerOptions,
  type KatesRootState,
  type KatesSelectors,
  type KatesState,
  type KatesStore,
  type KatesStoreOptions,
  katesActions,
  katesReducer,
  type ListInProgress,
  type LocalWrite,
  type ObjectEntry,
  type PendingWrite,
  type QueryPhase,
  type QuerySpec,
  type QueryState,
  type QueryStatus,
  type ReflectorCounters,
  type ReflectorPhase,
  type ReflectorState,
  type SliceSelector,
  type Tree,
} from './store/index.js';

// Time travel: record, replay, diff, and sanitize for Redux DevTools.
export {
  accumulatorsOf,
  createActionSanitizer,
  createRecorder,
  createStateSanitizer,
  diffObjects,
  diffStates,
  type FieldChange,
  type MemorySink,
  memorySink,
  parseRecording,
  type QueryDiff,
  RECORDING_FORMAT,
  RECORDING_VERSION,
  REDACTED,
  type RecordedAction,
  type Recorder,
  type RecorderOptions,
  type RecorderStats,
  type Recording,
  RecordingFormatError,
  type RecordingHeader,
  type RecordingSink,
  type RedactionOptions,
  type RedactionPolicy,
  type RedactionRule,
  type ReplayMismatch,
  ReplayMismatchError,
  type ReplayOptions,
  type ReplayReconcileOptions,
  ReplaySession,
  type ReplaySnapshot,
  type ReplayStore,
  replay,
  replayReconcile,
  type Sample,
  type SanitizeOptions,
  snapshotOf,
  streamSink,
  summarizeKatesState,
  type TextWritable,
} from './timetravel/index.js';

// Toolbox: manifests, owner references, pod logs, CRD schema validation.
export {
  childrenOf,
  controllerOf,
  type FieldError,
  type FieldErrorReason,
  hasOwnerReference,
  isKind,
  isOwnedBy,
  type KnownKind,
  ManifestError,
  type OwnedByOptions,
  type OwnerReferenceOptions,
  ownerReferenceTo,
  type ParseManifestsOptions,
  type PodLogEnd,
  type PodLogEndReason,
  PodLogError,
  type PodLogErrorReason,
  type PodLogEvent,
  type PodLogFailure,
  type PodLogLine,
  type PodLogOrigin,
  type PodLogsOptions,
  type PodLogsSource,
  type PodLogsTarget,
  parseManifests,
  podLogs,
  type StructuralSchema,
  setOwnerReference,
  setOwnerReferenceWith,
  type ValidateOptions,
  ValidationError,
  type ValidationResult,
  Validator,
  type ValidatorOptions,
} from './toolbox/index.js';

// Transport: how requests reach the API server.
export { type BrowserTransportOptions, createBrowserTransport } from './transport/browser.js';
export { PROJECTION_PARAM, withProjection } from './transport/projection.js';
export {
  type Transport,
  TransportError,
  type TransportRequest,
  type TransportResponse,
} from './transport/types.js';
export type { ApiWarning, WarningHandler } from './transport/warnings.js';
