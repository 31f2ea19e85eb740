import { describe, expect, it } from 'vitest';
import { Fnv64, fnv64 } from './fnv.js';

describe('fnv64', () => {
  it('gives the published FNV-1a 64 values for ASCII text', () => {
    expect(fnv64('')).toBe('cbf29ce484222325');
    expect(fnv64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv64('foobar')).toBe('85944171f73967e8');
  });

  it('separates fields so that moving a boundary changes the hash', () => {
    expect(new Fnv64().field('ab').field('c').hex()).not.toBe(new Fnv64().field('a').field('bc').hex());
  });
});
