/** Kubernetes label and field selectors: parsed, matched and formatted exactly as the apiserver does. */
export { formatSelector } from './format.js';
export { fieldValue, matchesFields, matchesLabels } from './match.js';
export { parseFieldSelector, parseLabelSelector } from './parse.js';
export {
  type LabelSelectorObject,
  type Requirement,
  type Selector,
  SelectorError,
  type SelectorOperator,
} from './types.js';
export { labelKeyError, labelValueError } from './validation.js';
