import { describe, expect, it } from 'vitest';
import { argOf } from './args.js';

describe('argOf', () => {
  it('reads a --name=value flag whole, an = in the value included, and nothing for an absent one', () => {
    const argv = ['node', 'x.js', '--n=10000', '--other=/tmp/a=b.json', '--nn=1'];
    expect(argOf('n', argv)).toBe('10000');
    expect(argOf('other', argv)).toBe('/tmp/a=b.json');
    expect(argOf('count', argv)).toBeUndefined();
  });
});
