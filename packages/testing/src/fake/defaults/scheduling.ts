import type { JsonObject } from '../json.js';
import { defaultString } from './set.js';

/** scheduling/v1 PriorityClass: it preempts lower priorities unless it says Never. */
export function defaultPriorityClass(obj: JsonObject): void {
  defaultString(obj, 'preemptionPolicy', 'PreemptLowerPriority');
}
