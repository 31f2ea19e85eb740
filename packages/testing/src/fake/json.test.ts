import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clone, deepEqual } from './json.js';

/** Every object and array inside a JSON value. */
function containers(v: unknown, out: object[] = []): object[] {
  if (v !== null && typeof v === 'object') {
    out.push(v);
    for (const child of Object.values(v)) containers(child, out);
  }
  return out;
}

describe('JSON values in the fake server', () => {
  it('clones a JSON value into an equal one that shares no object or array with it', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const copy = clone(v);
        expect(copy).toStrictEqual(v);
        expect(deepEqual(copy, v)).toBe(true);
        const originals = new Set(containers(v));
        expect(containers(copy).some((c) => originals.has(c))).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a "__proto__" key as a field, never as the copy\'s prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": [1, {"__proto__": 2}]}');
    const copy = clone(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(parsed));
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
