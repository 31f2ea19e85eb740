import { canonicalSelector } from './canonical.js';
import type { Requirement, Selector } from './types.js';

/** Escapes `\`, `,` and `=` the way k8s.io/apimachinery/pkg/fields `EscapeValue` does. */
function escapeValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

function formatRequirement(r: Requirement): string {
  switch (r.operator) {
    case 'Equals':
      return `${r.key}=${escapeValue(r.values[0] ?? '')}`;
    case 'NotEquals':
      return `${r.key}!=${escapeValue(r.values[0] ?? '')}`;
    case 'In':
      return `${r.key} in (${r.values.join(',')})`;
    case 'NotIn':
      return `${r.key} notin (${r.values.join(',')})`;
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
  }
}

/**
 * The canonical kubectl spelling of a selector: requirements sorted by key, then operator, then
 * values; values sorted. Two selectors that select the same way by construction format the same,
 * so this string is the identity of a watch and what goes into `?labelSelector=`/`?fieldSelector=`.
 * Equality values are escaped as field selectors need (label values never hold `\`, `,` or `=`,
 * so the same string parses back under either syntax).
 */
export function formatSelector(sel: Selector): string {
  const sorted = canonicalSelector([...sel].map((r) => ({ ...r, values: [...new Set(r.values)].sort() })));
  return sorted.map(formatRequirement).join(',');
}
