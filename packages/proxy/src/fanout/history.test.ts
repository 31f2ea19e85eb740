import type { KubernetesObject } from '@kates/core';
import { describe, expect, it } from 'vitest';
import { approximateBytes, type CacheEvent, History } from './history.js';

const pod = (i: number, rv: number, payload: number): KubernetesObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: `pod-${i}`,
    uid: `uid-${i}`,
    resourceVersion: String(rv),
    annotations: { payload: 'x'.repeat(payload) },
  },
});
const modified = (i: number, rv: number, payload: number, at = Date.now()): CacheEvent => ({
  type: 'MODIFIED',
  object: pod(i, rv, payload),
  resourceVersion: String(rv),
  uid: `uid-${i}`,
  at,
});

describe('History', () => {
  it('counts an object about as many bytes as its JSON has', () => {
    const obj = pod(1, 10, 100_000);
    const json = JSON.stringify(obj).length;
    expect(approximateBytes(obj)).toBeGreaterThan(json * 0.9);
    expect(approximateBytes(obj)).toBeLessThan(json * 1.2);
  });

  it('keeps no more than maxBytes of large objects, however few events and however recent, and answers 410 for a version before them', () => {
    const history = new History({ maxEvents: 10_000, maxAgeMs: 75_000, maxBytes: 1_000_000 }, '1');
    // 100 events of 100 KB pods within a second: 10 MB, all young, far below maxEvents.
    for (let rv = 2; rv <= 101; rv++) history.append(modified(rv % 10, rv, 100_000));
    expect(history.length).toBeLessThanOrEqual(10);
    expect(history.byteSize).toBeLessThanOrEqual(1_000_000);
    expect(history.since('101')).toEqual([]);
    expect(history.since('95')?.map((e) => e.resourceVersion)).toEqual([
      '96',
      '97',
      '98',
      '99',
      '100',
      '101',
    ]);
    expect(history.since('50')).toBeUndefined();
  });

  it('keeps the newest event even when it alone is larger than maxBytes', () => {
    const history = new History({ maxEvents: 10_000, maxAgeMs: 75_000, maxBytes: 1000 }, '1');
    history.append(modified(1, 2, 10_000));
    history.append(modified(2, 3, 10_000));
    expect(history.since('2')?.map((e) => e.resourceVersion)).toEqual(['3']);
    expect(history.since('1')).toBeUndefined();
  });

  it('lets go of the events it dropped at once, not at its next compaction', () => {
    const history = new History({ maxEvents: 3, maxAgeMs: 75_000 }, '1');
    for (let rv = 2; rv <= 20; rv++) history.append(modified(rv, rv, 10));
    const held = (history as unknown as { events: (CacheEvent | undefined)[] }).events.filter(Boolean);
    expect(held.map((e) => e?.resourceVersion)).toEqual(['18', '19', '20']);
  });

  it('counts no bytes without maxBytes, and drops by count and age as before', () => {
    const history = new History({ maxEvents: 5, maxAgeMs: 1000 }, '1');
    const t = Date.now();
    for (let rv = 2; rv <= 8; rv++) history.append(modified(rv, rv, 100_000, t));
    expect(history.byteSize).toBe(0);
    expect(history.length).toBe(5);
    history.append(modified(9, 9, 10, t + 5000));
    expect(history.length).toBe(1);
  });
});
