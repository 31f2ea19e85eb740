import type { Requirement, Selector, SelectorOperator } from './types.js';

/** The order of operators within one key, so that equal selectors have one spelling. */
const OPERATOR_ORDER: Readonly<Record<SelectorOperator, number>> = {
  Equals: 0,
  NotEquals: 1,
  In: 2,
  NotIn: 3,
  Exists: 4,
  DoesNotExist: 5,
};

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares requirements by key, then operator, then values: the canonical order of a selector. */
export function compareRequirements(a: Requirement, b: Requirement): number {
  const byKey = compareStrings(a.key, b.key);
  if (byKey !== 0) return byKey;
  const byOp = OPERATOR_ORDER[a.operator] - OPERATOR_ORDER[b.operator];
  if (byOp !== 0) return byOp;
  return compareStrings(a.values.join('\u0000'), b.values.join('\u0000'));
}

/** A requirement with its values sorted and distinct (the apiserver keeps them in a set). */
export function requirement(key: string, operator: SelectorOperator, values: readonly string[]): Requirement {
  return Object.freeze({ key, operator, values: Object.freeze([...new Set(values)].sort(compareStrings)) });
}

/** Sorts requirements into canonical order and freezes the result. */
export function canonicalSelector(requirements: Requirement[]): Selector {
  return Object.freeze(requirements.sort(compareRequirements));
}
