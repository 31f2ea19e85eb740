import { InvalidInputError } from '@kates/core';

/** A `metav1.Condition`, as JSON: one aspect of an object's state, in `status.conditions`. */
export interface Condition {
  /** UpperCamelCase (`Ready`, `Available`); one condition per type. */
  type: string;
  status: 'True' | 'False' | 'Unknown';
  /** UpperCamelCase, why the status is what it is. */
  reason: string;
  /** For humans; may be empty. */
  message: string;
  /** RFC 3339, when `status` last changed. */
  lastTransitionTime: string;
  /** The `metadata.generation` this condition was computed from. */
  observedGeneration?: number;
}

/** What {@link setCondition} takes: a condition, its transition time filled in when omitted. */
export type ConditionInput = Omit<Condition, 'lastTransitionTime' | 'message'> & {
  message?: string;
  lastTransitionTime?: string;
};

const REASON = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;

/** RFC 3339 with second precision, as `metav1.Time` is written. */
function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The condition of `type`, if present. */
export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** Whether the condition of `type` has status `True`. */
export function isConditionTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

/**
 * Sets the condition of its type, as `meta.SetStatusCondition`: `lastTransitionTime` moves only
 * when the status changes; reason, message and observedGeneration are updated in place; other
 * types keep their order.
 *
 * Never mutates. Returns the very array it was given when nothing changed, so that a reconciler
 * writes status only when `setCondition(...) !== conditions`.
 *
 * @throws InvalidInputError for a malformed type, status or reason (the API server would refuse it).
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  input: ConditionInput,
  now: Date = new Date(),
): readonly Condition[] {
  check(input);
  const list = conditions ?? [];
  const existing = findCondition(list, input.type);
  const message = input.message ?? '';
  if (!existing) {
    const added: Condition = {
      type: input.type,
      status: input.status,
      reason: input.reason,
      message,
      lastTransitionTime: input.lastTransitionTime ?? rfc3339(now),
      ...(input.observedGeneration !== undefined ? { observedGeneration: input.observedGeneration } : {}),
    };
    return [...list, added];
  }
  const statusChanged = existing.status !== input.status;
  if (
    !statusChanged &&
    existing.reason === input.reason &&
    existing.message === message &&
    existing.observedGeneration === input.observedGeneration
  ) {
    return conditions as readonly Condition[];
  }
  const updated: Condition = {
    type: input.type,
    status: input.status,
    reason: input.reason,
    message,
    lastTransitionTime: statusChanged
      ? (input.lastTransitionTime ?? rfc3339(now))
      : existing.lastTransitionTime,
    ...(input.observedGeneration !== undefined ? { observedGeneration: input.observedGeneration } : {}),
  };
  return list.map((c) => (c === existing ? updated : c));
}

/** Removes the condition of `type`; the same array when there was none. */
export function removeCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): readonly Condition[] {
  const list = conditions ?? [];
  return findCondition(list, type) ? list.filter((c) => c.type !== type) : list;
}

/**
 * Whether the condition of `type` was computed from the object's current spec: present, and its
 * `observedGeneration` equals `generation`. A reader waiting for a rollout asks this first.
 */
export function isConditionCurrent(
  conditions: readonly Condition[] | undefined,
  type: string,
  generation: number | undefined,
): boolean {
  const c = findCondition(conditions, type);
  return !!c && generation !== undefined && c.observedGeneration === generation;
}

function check(input: ConditionInput): void {
  const fail = (field: string, why: string) => {
    throw new InvalidInputError(`setCondition: ${field} ${why}`, 'setCondition', field);
  };
  if (
    typeof input?.type !== 'string' ||
    !/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(input.type)
  )
    fail('type', `must be an UpperCamelCase name such as "Ready", got ${JSON.stringify(input?.type)}`);
  if (!['True', 'False', 'Unknown'].includes(input.status))
    fail('status', `must be "True", "False" or "Unknown", got ${JSON.stringify(input.status)}`);
  if (typeof input.reason !== 'string' || !REASON.test(input.reason))
    fail(
      'reason',
      `must be an UpperCamelCase word such as "Reconciled", got ${JSON.stringify(input.reason)}`,
    );
  if (
    input.observedGeneration !== undefined &&
    (!Number.isInteger(input.observedGeneration) || input.observedGeneration < 0)
  )
    fail('observedGeneration', `must be a whole number of at least 0, got ${input.observedGeneration}`);
}
