import { describe, expect, it } from 'vitest';
import { ANY, formatPath, parsePath, replaceAtPath } from './path.js';

describe('redaction paths', () => {
  it('parses dotted names, wildcards, indexes and quoted keys', () => {
    expect(parsePath('$.data.password')).toEqual(['data', 'password']);
    expect(parsePath('spec.containers[*].env[0].value')).toEqual([
      'spec',
      'containers',
      ANY,
      'env',
      0,
      'value',
    ]);
    expect(parsePath("metadata.annotations['example.com/token']")).toEqual([
      'metadata',
      'annotations',
      'example.com/token',
    ]);
    expect(parsePath('data.*')).toEqual(['data', ANY]);
    expect(formatPath(parsePath("a[*].b['x/y'].c[2]"))).toBe("a.*.b['x/y'].c[2]");
  });

  it('rejects a malformed path with a message that shows how to write one', () => {
    expect(() => parsePath('data..x')).toThrow(
      /redaction path "data..x": expected a field name.*data\.password/,
    );
    expect(() => parsePath('a[')).toThrow(/unclosed \[/);
    expect(() => parsePath('')).toThrow(/empty/);
  });

  it('replaces values along a path by copying only what it changes', () => {
    const obj = Object.freeze({
      spec: Object.freeze({ env: Object.freeze([{ value: 'a' }, { value: 'b' }]) }),
      other: Object.freeze({ x: 1 }),
    });
    const out = replaceAtPath(obj, ['spec', 'env', ANY, 'value'], () => 'R') as typeof obj;
    expect(out.spec.env).toEqual([{ value: 'R' }, { value: 'R' }]);
    expect(out.other).toBe(obj.other);
    expect(obj.spec.env[0]!.value).toBe('a');
    expect(replaceAtPath(obj, ['missing', 'x'], () => 'R')).toBe(obj);
  });
});
