export {
  addFinalizer,
  type FinalizerClient,
  type FinalizerHandlers,
  type FinalizerOptions,
  hasFinalizer,
  isDeleting,
  removeFinalizer,
  withFinalizer,
} from './finalizers.js';
