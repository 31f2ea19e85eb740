import { describe, expect, it } from 'vitest';
import { parseFieldSelector, parseLabelSelector } from './parse.js';
import { SelectorError } from './types.js';

const r = (key: string, operator: string, values: string[] = []) => ({ key, operator, values });

describe('parseLabelSelector', () => {
  it('selects everything for undefined, the empty string and blanks', () => {
    expect(parseLabelSelector(undefined)).toEqual([]);
    expect(parseLabelSelector('')).toEqual([]);
    expect(parseLabelSelector('  ')).toEqual([]);
    expect(parseLabelSelector({})).toEqual([]);
  });

  it('reads every operator of the kubectl syntax', () => {
    expect(parseLabelSelector('a=b')).toEqual([r('a', 'Equals', ['b'])]);
    expect(parseLabelSelector('a==b')).toEqual([r('a', 'Equals', ['b'])]);
    expect(parseLabelSelector('a!=b')).toEqual([r('a', 'NotEquals', ['b'])]);
    expect(parseLabelSelector('a in (y,x)')).toEqual([r('a', 'In', ['x', 'y'])]);
    expect(parseLabelSelector('a notin (x)')).toEqual([r('a', 'NotIn', ['x'])]);
    expect(parseLabelSelector('a')).toEqual([r('a', 'Exists')]);
    expect(parseLabelSelector('!a')).toEqual([r('a', 'DoesNotExist')]);
  });

  it('sorts requirements by key and accepts blanks around tokens', () => {
    expect(parseLabelSelector(' z = 1 , !y ,  x in ( b , a ) ')).toEqual([
      r('x', 'In', ['a', 'b']),
      r('y', 'DoesNotExist'),
      r('z', 'Equals', ['1']),
    ]);
  });

  it('reads empty values as the apiserver does', () => {
    expect(parseLabelSelector('a=')).toEqual([r('a', 'Equals', [''])]);
    expect(parseLabelSelector('a=,b')).toEqual([r('a', 'Equals', ['']), r('b', 'Exists')]);
    expect(parseLabelSelector('a in ()')).toEqual([r('a', 'In', [''])]);
    expect(parseLabelSelector('a in (,x)')).toEqual([r('a', 'In', ['', 'x'])]);
    expect(parseLabelSelector('a notin (x,,y,)')).toEqual([r('a', 'NotIn', ['', 'x', 'y'])]);
  });

  it('treats in and notin as identifiers where a key or value is expected', () => {
    expect(parseLabelSelector('in=notin')).toEqual([r('in', 'Equals', ['notin'])]);
    expect(parseLabelSelector('notin in (in)')).toEqual([r('notin', 'In', ['in'])]);
    expect(parseLabelSelector('a in(b)')).toEqual([r('a', 'In', ['b'])]);
  });

  it('accepts prefixed keys and refuses keys the apiserver refuses', () => {
    expect(parseLabelSelector('app.kubernetes.io/name=web')).toEqual([
      r('app.kubernetes.io/name', 'Equals', ['web']),
    ]);
    for (const bad of [
      '-a=b',
      'a-=b',
      'Example.com/a=b',
      '/a',
      'a/',
      'a/b/c',
      `${'k'.repeat(64)}=v`,
      'a_/b',
    ]) {
      expect(() => parseLabelSelector(bad), bad).toThrow(SelectorError);
    }
    expect(() => parseLabelSelector(`${'k'.repeat(63)}=v`)).not.toThrow();
  });

  it('refuses invalid values', () => {
    for (const bad of ['a=-b', 'a=b-', `a=${'v'.repeat(64)}`, 'a in (x,-y)', 'a=b/c']) {
      expect(() => parseLabelSelector(bad), bad).toThrow(SelectorError);
    }
  });

  it('says what is wrong, where, and how to write it', () => {
    const err = (() => {
      try {
        parseLabelSelector('a in (b');
      } catch (e) {
        return e as SelectorError;
      }
      throw new Error('no error');
    })();
    expect(err).toBeInstanceOf(SelectorError);
    expect(err.selector).toBe('a in (b');
    expect(err.position).toBe(7);
    expect(err.message).toContain("expected ',' or ')'");
    expect(err.message).toContain('position 7');
    expect(err.message).toContain('key in (v1,v2)');
  });

  it('refuses malformed selectors at the right position', () => {
    const cases: [string, number][] = [
      ['a=b=c', 3],
      ['a b', 2],
      [',a', 0],
      ['a,', 2],
      ['a,,b', 2],
      ['!a=b', 2],
      ['a in b', 5],
      ['a in (b c)', 8],
      ['(a)', 0],
      ['a notin', 7],
      ['a>1', 1],
      ['a<1', 1],
      ['!', 1],
      ['a=(b)', 2],
      ['!!a', 1],
    ];
    for (const [input, position] of cases) {
      try {
        parseLabelSelector(input);
        expect.unreachable(`${input} parsed`);
      } catch (e) {
        expect(e, input).toBeInstanceOf(SelectorError);
        expect((e as SelectorError).position, input).toBe(position);
      }
    }
  });

  it('reads metav1.LabelSelector objects', () => {
    expect(
      parseLabelSelector({
        matchLabels: { tier: 'web' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod', 'dev'] },
          { key: 'old', operator: 'DoesNotExist' },
        ],
      }),
    ).toEqual([r('env', 'In', ['dev', 'prod']), r('old', 'DoesNotExist'), r('tier', 'Equals', ['web'])]);
  });

  it('refuses invalid metav1.LabelSelector objects naming the field', () => {
    expect(() =>
      parseLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }),
    ).toThrow(/matchExpressions\[0\]\.values must be non-empty/);
    expect(() =>
      parseLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }),
    ).toThrow(/must be empty for Exists/);
    expect(() =>
      parseLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt' as 'In', values: ['1'] }] }),
    ).toThrow(SelectorError);
    expect(() => parseLabelSelector({ matchLabels: { 'bad key': 'x' } })).toThrow(/not a valid label key/);
  });
});

describe('parseFieldSelector', () => {
  it('reads =, == and != and sorts by field', () => {
    expect(parseFieldSelector('status.phase!=Running,metadata.name==web')).toEqual([
      r('metadata.name', 'Equals', ['web']),
      r('status.phase', 'NotEquals', ['Running']),
    ]);
    expect(parseFieldSelector('spec.nodeName=')).toEqual([r('spec.nodeName', 'Equals', [''])]);
    expect(parseFieldSelector(undefined)).toEqual([]);
    expect(parseFieldSelector('')).toEqual([]);
    expect(parseFieldSelector('a=b,,c=d')).toHaveLength(2);
  });

  it('unescapes \\, \\= and \\\\ in values', () => {
    expect(parseFieldSelector('reason=a\\,b\\=c\\\\d,type=x')).toEqual([
      r('reason', 'Equals', ['a,b=c\\d']),
      r('type', 'Equals', ['x']),
    ]);
  });

  it('refuses unescaped = and unknown escapes as the apiserver does', () => {
    expect(() => parseFieldSelector('a=b=c')).toThrow(/unescaped '='/);
    expect(() => parseFieldSelector('a=b\\n')).toThrow(/invalid escape sequence/);
    expect(() => parseFieldSelector('a=b\\')).toThrow(/invalid escape sequence/);
    expect(() => parseFieldSelector('a')).toThrow(/has no operator/);
    expect(() => parseFieldSelector('=a')).toThrow(/field name is empty/);
    expect(() => parseFieldSelector('a in (b)')).toThrow(SelectorError);
  });

  it('reads objects as equalities without unescaping', () => {
    expect(parseFieldSelector({ 'metadata.name': 'a,b' })).toEqual([r('metadata.name', 'Equals', ['a,b'])]);
  });
  it('refuses a plain label map given as a LabelSelector, which would otherwise select everything', () => {
    expect(() => parseLabelSelector({ app: 'web' } as never)).toThrow(
      /only matchLabels and matchExpressions/,
    );
  });
});
