/**
 * The one place that orders resourceVersions.
 *
 * The API conventions call resourceVersion opaque, but every server built on etcd uses the
 * revision, a decimal integer, and client-go's watch cache relies on that too. Where both parse
 * as integers they are compared as integers; otherwise they cannot be ordered by value, and the
 * caller falls back to arrival order (the later arrival wins).
 *
 * @returns negative, zero or positive as `a` is older than, equal to or newer than `b`;
 *   `undefined` when they cannot be compared.
 */
export function compareResourceVersions(a: string | undefined, b: string | undefined): number | undefined {
  if (a === undefined || b === undefined || a === '' || b === '') return undefined;
  if (a === b) return 0;
  if (!isDecimal(a) || !isDecimal(b)) return undefined;
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : 1;
}

function isDecimal(s: string): boolean {
  if (s.length > 1 && s.charCodeAt(0) === 48) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Whether a version `candidate` should replace `held`: newer by value, or, where they cannot be
 * compared, because it arrived later (which it does, being the one just received).
 */
export function isNewerResourceVersion(candidate: string | undefined, held: string | undefined): boolean {
  const c = compareResourceVersions(candidate, held);
  return c === undefined ? true : c > 0;
}
