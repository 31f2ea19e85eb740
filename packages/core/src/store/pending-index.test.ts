import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pod, StoreDriver } from './__fixtures__/store.js';
import { PendingIndex } from './pending-index.js';

type Step =
  | { t: 'write'; slot: number; ahead: number }
  | { t: 'event'; slot: number }
  | { t: 'bookmark'; by: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ t: fc.constant('write' as const), slot: fc.nat(7), ahead: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ t: fc.constant('event' as const), slot: fc.nat(7) }),
  fc.record({ t: fc.constant('bookmark' as const), by: fc.integer({ min: 1, max: 10 }) }),
);

/** Every UID the index finds between each pair of versions up to `top`, per bound. */
function ranges(index: PendingIndex, top: number): string[][] {
  const out: string[][] = [];
  for (let lo = 0; lo <= top; lo += 3)
    for (let hi = lo; hi <= top; hi += 4) out.push([...index.between('Pod', String(lo), String(hi))].sort());
  return out;
}

describe('the index of pending local writes', () => {
  it('derived write after write, agrees with one built from scratch', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const d = new StoreDriver().watch('all').query('q', 'all');
        d.list('all', '10', [pod('p0', { rv: '10' })]);
        let rv = 10;
        let top = 10;
        for (const s of steps) {
          if (s.t === 'write') {
            // A response the watch has not delivered yet: its version is ahead of the watch.
            top = Math.max(top, rv + s.ahead);
            d.write(pod(`p${s.slot}`, { rv: String(rv + s.ahead) }));
          } else if (s.t === 'event') {
            rv = Math.max(rv, top) + 1;
            top = rv;
            d.events('all', ['MODIFIED', pod(`p${s.slot}`, { rv: String(rv) })]);
          } else {
            rv += s.by;
            top = Math.max(top, rv);
            d.bookmark('all', String(rv));
          }
          const { localPending } = d.state;
          const derived = PendingIndex.of(localPending);
          const built = PendingIndex.rebuild(localPending);
          expect(ranges(derived, top + 1)).toEqual(ranges(built, top + 1));
          // Each pending write is found exactly at its own version.
          for (const uid of Object.keys(d.pending())) {
            expect(built.between('Pod', '0', String(top + 1))).toContain(uid);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('finds the writes between two versions, and none at the bounds it excludes', () => {
    const d = new StoreDriver().watch('all').query('q', 'all');
    d.list('all', '10', []);
    d.write(pod('a', { rv: '12' }))
      .write(pod('b', { rv: '15' }))
      .write(pod('c', { rv: '15' }))
      .write(pod('d', { rv: '100' }));
    const index = PendingIndex.of(d.state.localPending);
    expect([...index.between('Pod', '10', '14')]).toEqual(['uid-a']);
    expect([...index.between('Pod', '12', '15')].sort()).toEqual(['uid-b', 'uid-c']);
    expect([...index.between('Pod', '15', '99')]).toEqual([]);
    expect([...index.between('Pod', '99', '100')]).toEqual(['uid-d']);
    expect(index.between('Service', '0', '1000')).toEqual([]);
  });

  it('keeps showing a thousand pending writes and releases each as its watch event passes it', () => {
    const d = new StoreDriver().watch('all').query('q', 'all');
    d.list('all', '10', []);
    for (let i = 0; i < 1000; i++) d.write(pod(`p${i}`, { rv: String(1000 + i) }));
    expect(Object.keys(d.pending())).toHaveLength(1000);
    expect(d.items('q')).toHaveLength(1000);
    // The watch delivers the writes in order: each event releases exactly the write it confirms.
    for (let i = 0; i < 1000; i++) {
      d.events('all', ['ADDED', pod(`p${i}`, { rv: String(1000 + i) })]);
      expect(Object.keys(d.pending())).toHaveLength(999 - i);
    }
    expect(d.items('q')).toHaveLength(1000);
  });
});
