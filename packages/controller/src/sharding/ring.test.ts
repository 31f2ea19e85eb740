import { describe, expect, it } from 'vitest';
import { fnv1a64 } from './fnv.js';
import { HashRing, shardSelectorOf } from './ring.js';

const keys = Array.from({ length: 20_000 }, (_, i) => `${i.toString(16).padStart(8, '0')}-uid-${i * 7919}`);

describe('HashRing', () => {
  it('gives each of three members a third of the keys, within 20 %', () => {
    const ring = new HashRing(['replica-0', 'replica-1', 'replica-2']);
    const counts = new Map<string, number>();
    for (const k of keys) counts.set(ring.ownerOf(k)!, (counts.get(ring.ownerOf(k)!) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(['replica-0', 'replica-1', 'replica-2']);
    for (const n of counts.values()) expect(Math.abs(n / keys.length - 1 / 3)).toBeLessThan(0.2 / 3);
  });

  it('moves only the keys the new member takes when one joins', () => {
    const before = new HashRing(['a', 'b', 'c']);
    const after = new HashRing(['a', 'b', 'c', 'd']);
    let moved = 0;
    for (const k of keys) {
      if (before.ownerOf(k) === after.ownerOf(k)) continue;
      moved++;
      expect(after.ownerOf(k)).toBe('d');
    }
    expect(moved / keys.length).toBeGreaterThan(0.15);
    expect(moved / keys.length).toBeLessThan(0.35);
  });

  it('is the same ring whatever the order members are given in', () => {
    const a = new HashRing(['x', 'y', 'z']);
    const b = new HashRing(['z', 'x', 'y', 'x']);
    for (const k of keys.slice(0, 500)) expect(a.ownerOf(k)).toBe(b.ownerOf(k));
  });

  it('owns nothing when empty', () => {
    expect(new HashRing([]).ownerOf('k')).toBeUndefined();
  });

  it('covers the whole hash space with the members’ ranges, without overlap, agreeing with ownerOf', () => {
    const ring = new HashRing(['a', 'b', 'c'], 7);
    const ranges = ring.members.flatMap((m) => ring.rangesOf(m).map((r) => ({ ...r, m })));
    ranges.sort((x, y) => (x.start < y.start ? -1 : 1));
    expect(ranges[0]!.start).toBe('0000000000000000');
    expect(ranges.at(-1)!.end).toBe('10000000000000000');
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.start).toBe(ranges[i - 1]!.end);
    for (const k of keys.slice(0, 2_000)) {
      const h = fnv1a64(k);
      const r = ranges.find((x) => x.start <= h && (x.end === '10000000000000000' || h < x.end))!;
      expect(r.m).toBe(ring.ownerOf(k));
    }
  });

  it('refuses a ring without virtual nodes', () => {
    expect(() => new HashRing(['a'], 0)).toThrow(/at least one virtual node/);
  });

  it('writes a member’s ranges as a KEP-5866 shard selector', () => {
    const ring = new HashRing(['a', 'b'], 2);
    const selector = shardSelectorOf(ring, 'a');
    expect(selector).toMatch(
      /^shardRange\(object\.metadata\.uid, '0x[0-9a-f]{16}', '0x(1)?[0-9a-f]{16}'\)( \|\| shardRange\(object\.metadata\.uid, '0x[0-9a-f]{16}', '0x(1)?[0-9a-f]{16}'\))*$/,
    );
    expect(selector.split(' || ')).toHaveLength(ring.rangesOf('a').length);
    expect(shardSelectorOf(ring, 'b', 'object.metadata.namespace')).toContain(
      'shardRange(object.metadata.namespace, ',
    );
  });
});
