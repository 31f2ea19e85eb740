import { ApiError, InvalidInputError, TransportError } from '@kates/core';
import type { Registry } from 'prom-client';
import { checkControllerName } from '../workqueue/controller.js';

/**
 * Label values stay bounded, so that a long-running controller's metrics do not grow with its
 * data (client-go dropped its reflector metrics for that leak):
 * - names (controller, queue, accumulator, query) are chosen in code, checked against a short
 *   pattern, and at most {@link MAX_NAMES} per registry and family;
 * - every other label takes a value from a fixed list (verbs, results, phases, reasons); anything
 *   else is folded into `Other`.
 * Keys, object names, namespaces, messages and tokens never become label values.
 */
export const MAX_NAMES = 256;

const claimed = new WeakMap<Registry, Map<string, Set<string>>>();

/**
 * Reserves `name` in a family of a registry: one controller, queue or accumulator per name, as
 * controller-runtime requires unique controller names.
 *
 * @throws InvalidInputError for a malformed name, a name already taken, or too many names.
 */
export function claimName(registry: Registry, family: string, name: string): void {
  checkControllerName(name, family);
  let families = claimed.get(registry);
  if (!families) {
    families = new Map();
    claimed.set(registry, families);
  }
  let names = families.get(family);
  if (!names) {
    names = new Set();
    families.set(family, names);
  }
  if (names.has(name)) {
    throw new InvalidInputError(
      `${/^[aeiou]/.test(family) ? 'an' : 'a'} ${family} named "${name}" already reports metrics in this ` +
        `registry: give each ${family} its own name`,
      family,
      'name',
    );
  }
  if (names.size >= MAX_NAMES) {
    throw new InvalidInputError(
      `more than ${MAX_NAMES} ${family} names in one registry: names label metrics series and must be a ` +
        'fixed set chosen in code (create long-lived ones, not one per object)',
      family,
      'name',
    );
  }
  names.add(name);
}

/** Gives a name back (an accumulator that closed), so that it may be claimed again. */
export function releaseName(registry: Registry, family: string, name: string): void {
  claimed.get(registry)?.get(family)?.delete(name);
}

// The `reason`s of the API server's Status (metav1.StatusReason), and kates' own failure kinds.
const REASONS = new Set([
  'BadRequest',
  'Unauthorized',
  'Forbidden',
  'NotFound',
  'AlreadyExists',
  'Conflict',
  'Gone',
  'Expired',
  'Invalid',
  'ServerTimeout',
  'Timeout',
  'TooManyRequests',
  'MethodNotAllowed',
  'NotAcceptable',
  'RequestEntityTooLarge',
  'UnsupportedMediaType',
  'InternalError',
  'ServiceUnavailable',
]);

/** A bounded label value for a failure: the API server's reason when it is a known one. */
export function failureReason(error: unknown): string {
  if (error instanceof ApiError) return REASONS.has(error.reason) ? error.reason : 'Other';
  if (error instanceof TransportError) return 'Transport';
  if (error instanceof InvalidInputError) return 'InvalidInput';
  if (error instanceof Error && error.name === 'AbortError') return 'Aborted';
  return 'Other';
}

/** Histogram buckets of client-go's and controller-runtime's workqueue: 10 ns to 1000 s, x10. */
export const QUEUE_BUCKETS = Array.from({ length: 12 }, (_, i) => Number((1e-8 * 10 ** i).toPrecision(1)));

/** controller-runtime's `controller_runtime_reconcile_time_seconds` buckets. */
export const RECONCILE_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25,
  1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];

/** client-go's `rest_client_request_duration_seconds` buckets. */
export const REQUEST_BUCKETS = [0.005, 0.025, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 60.0];
