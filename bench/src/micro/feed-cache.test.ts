import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CACHED_FROM_OBJECTS, cachedLines } from './feed-cache.js';

const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'feed-cache-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Lines of a few sizes, one longer than the 8 MB a read takes, some with multi-byte characters. */
function* feed(calls: { n: number }): Generator<string> {
  calls.n++;
  yield '{"a":1}';
  yield JSON.stringify({ big: 'é'.repeat(5 << 20) });
  for (let i = 0; i < 1000; i++) yield JSON.stringify({ i, name: `日本-${i}` });
}

describe('the feed cache of the bench', () => {
  it('generates a feed once, then reads the same lines back in another call', () => {
    const dir = scratch();
    const calls = { n: 0 };
    const first = [...cachedLines('feed', CACHED_FROM_OBJECTS, () => feed(calls), dir)];
    const second = [...cachedLines('feed', CACHED_FROM_OBJECTS, () => feed(calls), dir)];
    expect(calls.n).toBe(1);
    expect(second).toEqual(first);
    expect(second).toHaveLength(1002);
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('keeps no file when the reader stopped before the end, and generates small feeds every time', () => {
    const dir = scratch();
    const calls = { n: 0 };
    for (const _ of cachedLines('feed', CACHED_FROM_OBJECTS, () => feed(calls), dir)) break;
    expect(readdirSync(dir)).toEqual([]);
    expect([...cachedLines('feed', CACHED_FROM_OBJECTS, () => feed(calls), dir)]).toHaveLength(1002);
    expect(calls.n).toBe(2);

    const small = scratch();
    for (let k = 0; k < 2; k++) [...cachedLines('small', CACHED_FROM_OBJECTS - 1, () => feed(calls), small)];
    expect(calls.n).toBe(4);
    expect(readdirSync(small)).toEqual([]);
  });
});
