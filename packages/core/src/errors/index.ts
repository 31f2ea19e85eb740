export {
  ApiError,
  type ApiErrorContext,
  type ApiErrorInit,
  apiErrorFromResponse,
  apiErrorFromStatus,
  type FieldCause,
} from './api-error.js';
export { InvalidInputError } from './invalid-input.js';
export {
  invalidCauses,
  isAlreadyExists,
  isConflict,
  isForbidden,
  isGone,
  isInvalid,
  isNotFound,
  isUnserved,
} from './predicates.js';
export { UnknownKindError } from './unknown-kind.js';
