export type { StructuralSchema } from './crd-schema.js';
export type { FieldError, FieldErrorReason } from './field-errors.js';
export {
  isKind,
  type KnownKind,
  ManifestError,
  type ParseManifestsOptions,
  parseManifests,
} from './manifests.js';
export {
  childrenOf,
  controllerOf,
  hasOwnerReference,
  isOwnedBy,
  type OwnedByOptions,
  type OwnerReferenceOptions,
  ownerReferenceTo,
  setOwnerReference,
  setOwnerReferenceWith,
} from './ownership.js';
export {
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
  parseLogLine,
  podLogs,
} from './pod-logs.js';
export {
  type ValidateOptions,
  ValidationError,
  type ValidationResult,
  Validator,
  type ValidatorOptions,
} from './validate.js';
