/**
 * JSONPath-like paths naming values to redact: `data.password`, `data.*`,
 * `spec.containers[*].env[*].value`, `metadata.annotations['example.com/token']`. A leading `$` or
 * `$.` is allowed. `*` is every key of an object or every element of an array.
 */
export type PathSegment = string | number | typeof ANY;

/** The wildcard segment. */
export const ANY: unique symbol = Symbol('any');

const IDENT = /^[A-Za-z_$][\w$-]*/;

/**
 * Parses a path.
 * @throws TypeError naming the path and the position where it went wrong.
 */
export function parsePath(text: string): PathSegment[] {
  if (typeof text !== 'string' || text.trim() === '')
    throw new TypeError('a redaction path is empty: write one such as "data.password"');
  let rest = text.trim();
  if (rest.startsWith('$')) rest = rest.slice(1);
  const out: PathSegment[] = [];
  const fail = (why: string): never => {
    throw new TypeError(
      `redaction path "${text}": ${why} at "${rest}"; write it like data.password, data.*, ` +
        `spec.containers[*].env[*].value or metadata.annotations['example.com/token']`,
    );
  };
  let first = true;
  while (rest.length > 0) {
    if (rest.startsWith('[')) {
      const close = rest.indexOf(']');
      if (close < 0) fail('an unclosed [');
      const inner = rest.slice(1, close).trim();
      if (inner === '*') out.push(ANY);
      else if (/^\d+$/.test(inner)) out.push(Number(inner));
      else if (/^'.*'$|^".*"$/.test(inner) && inner.length >= 2) out.push(inner.slice(1, -1));
      else fail("expected [n], [*] or ['key']");
      rest = rest.slice(close + 1);
    } else {
      if (rest.startsWith('.')) rest = rest.slice(1);
      else if (!first) fail('expected . or [');
      if (rest.startsWith('*')) {
        out.push(ANY);
        rest = rest.slice(1);
      } else {
        const m = IDENT.exec(rest);
        if (!m) fail('expected a field name');
        out.push(m![0]);
        rest = rest.slice(m![0].length);
      }
    }
    first = false;
  }
  return out;
}

/** Formats segments back to the path syntax (for headers and errors). */
export function formatPath(segments: readonly PathSegment[]): string {
  return segments
    .map((s, i) =>
      s === ANY
        ? i === 0
          ? '*'
          : '.*'
        : typeof s === 'number'
          ? `[${s}]`
          : IDENT.test(s) && IDENT.exec(s)![0] === s
            ? i === 0
              ? s
              : `.${s}`
            : `['${s}']`,
    )
    .join('');
}

/**
 * Returns `value` with every value at `segments` replaced by `replace(old)`, copying only the
 * containers on the way; the very same `value` when nothing was found or nothing changed.
 */
export function replaceAtPath(
  value: unknown,
  segments: readonly PathSegment[],
  replace: (old: unknown) => unknown,
  at = 0,
): unknown {
  if (at === segments.length) return replace(value);
  if (value === null || typeof value !== 'object') return value;
  const seg = segments[at]!;
  if (Array.isArray(value)) {
    const indexes = seg === ANY ? value.map((_, i) => i) : typeof seg === 'number' ? [seg] : [];
    let copy: unknown[] | undefined;
    for (const i of indexes) {
      if (i >= value.length) continue;
      const next = replaceAtPath(value[i], segments, replace, at + 1);
      if (next === value[i]) continue;
      copy ??= value.slice();
      copy[i] = next;
    }
    return copy ?? value;
  }
  const obj = value as Record<string, unknown>;
  const keys =
    seg === ANY ? Object.keys(obj) : typeof seg === 'string' && Object.hasOwn(obj, seg) ? [seg] : [];
  let copy: Record<string, unknown> | undefined;
  for (const k of keys) {
    const next = replaceAtPath(obj[k], segments, replace, at + 1);
    if (next === obj[k]) continue;
    copy ??= { ...obj };
    copy[k] = next;
  }
  return copy ?? value;
}
