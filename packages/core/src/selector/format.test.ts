import { describe, expect, it } from 'vitest';
import { formatSelector } from './format.js';
import { parseFieldSelector, parseLabelSelector } from './parse.js';

describe('formatSelector', () => {
  it('writes the canonical kubectl string, sorted by key then operator, values sorted', () => {
    expect(formatSelector(parseLabelSelector('z, !y, x notin (b,a), x in (d,c), w==1, w!=2'))).toBe(
      'w=1,w!=2,x in (c,d),x notin (a,b),!y,z',
    );
  });

  it('writes the same string for selectors that differ only in spelling', () => {
    expect(formatSelector(parseLabelSelector('b in (2,1), a==1'))).toBe(
      formatSelector(parseLabelSelector('a=1,b in (1,2,1)')),
    );
  });

  it('sorts hand-built selectors too', () => {
    expect(
      formatSelector([
        { key: 'b', operator: 'Exists', values: [] },
        { key: 'a', operator: 'In', values: ['y', 'x'] },
      ]),
    ).toBe('a in (x,y),b');
  });

  it('escapes field selector values', () => {
    const sel = parseFieldSelector('reason=a\\,b\\=c\\\\');
    expect(formatSelector(sel)).toBe('reason=a\\,b\\=c\\\\');
    expect(parseFieldSelector(formatSelector(sel))).toEqual(sel);
  });

  it('writes empty values so that they parse back', () => {
    expect(formatSelector(parseLabelSelector('a=,b in ()'))).toBe('a=,b in ()');
    expect(parseLabelSelector('a=,b in ()')).toEqual(
      parseLabelSelector(formatSelector(parseLabelSelector('a=,b in ()'))),
    );
  });

  it('writes nothing for the empty selector', () => {
    expect(formatSelector([])).toBe('');
  });
});
