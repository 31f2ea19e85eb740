import type { Lease } from '@kates/core';
import { describe, expect, it } from 'vitest';
import { MemberTracker } from './membership.js';

const lease = (
  name: string,
  holderIdentity: string,
  renewTime: string,
  leaseDurationSeconds = 15,
): Lease => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name },
  spec: { holderIdentity, leaseDurationSeconds, renewTime, leaseTransitions: 0 },
});

describe('MemberTracker', () => {
  it('keeps a member ready while its record changes, and presumes it dead leaseDuration after it stopped changing', () => {
    const t = new MemberTracker();
    t.observe([lease('a', 'a', '2026-01-01T00:00:00.000000Z')], 0);
    expect(t.state('a', 14_999)).toBe('ready');
    t.observe([lease('a', 'a', '2026-01-01T00:00:02.000000Z')], 10_000);
    expect(t.state('a', 24_999)).toBe('ready');
    expect(t.nextExpiry(20_000)).toBe(25_000);
    expect(t.state('a', 25_000)).toBe('expired');
    expect(t.ready(25_000)).toEqual([]);
  });

  it('judges by when it saw the record change, not by renewTime', () => {
    const t = new MemberTracker();
    // A renewTime a day old, seen now for the first time: not expired until leaseDuration from now.
    t.observe([lease('a', 'a', '2025-12-31T00:00:00.000000Z')], 100_000);
    expect(t.state('a', 114_999)).toBe('ready');
    // The same record seen again later does not reset the clock.
    t.observe([lease('a', 'a', '2025-12-31T00:00:00.000000Z')], 110_000);
    expect(t.state('a', 115_000)).toBe('expired');
  });

  it('tells released, adopted and unknown members from live ones', () => {
    const t = new MemberTracker();
    t.observe([lease('a', 'a', 'x'), lease('b', '', 'x', 1), lease('c', 'kates-sharder.a', 'x')], 0);
    expect([t.state('a', 1), t.state('b', 1), t.state('c', 1), t.state('d', 1)]).toEqual([
      'ready',
      'released',
      'adopted',
      undefined,
    ]);
    expect(t.ready(1)).toEqual(['a']);
  });

  it('forgets a member whose Lease is gone', () => {
    const t = new MemberTracker();
    t.observe([lease('a', 'a', 'x'), lease('b', 'b', 'x')], 0);
    t.observe([lease('a', 'a', 'x')], 1);
    expect(t.state('b', 2)).toBeUndefined();
    expect(t.observed('a')?.at).toBe(0);
  });
});
