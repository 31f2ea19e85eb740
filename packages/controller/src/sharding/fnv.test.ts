import { describe, expect, it } from 'vitest';
import { fnv1a64 } from './fnv.js';

/** The textbook definition on BigInt, over UTF-8 bytes: slow and obviously right. */
function reference(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(text)) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
  return h.toString(16).padStart(16, '0');
}

describe('fnv1a64', () => {
  it.each([
    ['', 'cbf29ce484222325'],
    ['a', 'af63dc4c8601ec8c'],
    ['foobar', '85944171f73967e8'],
  ])('hashes %j as the published FNV-1a 64 test vectors say (%s)', (text, hash) => {
    expect(fnv1a64(text)).toBe(hash);
  });

  it('hashes the UTF-8 bytes of non-ASCII text, as Go hashes a string', () => {
    for (const text of ['é', 'namespace-ü', '日本', '😀']) expect(fnv1a64(text)).toBe(reference(text));
    expect(fnv1a64('é')).not.toBe(reference('\u00e9'.normalize('NFD')));
  });

  it('agrees with the BigInt definition on 500 uids', () => {
    for (let i = 0; i < 500; i++) {
      const uid = crypto.randomUUID();
      expect(fnv1a64(uid)).toBe(reference(uid));
    }
  });
});
