import { describe, expect, it } from 'vitest';
import {
  type Condition,
  findCondition,
  isConditionCurrent,
  isConditionTrue,
  removeCondition,
  setCondition,
} from './conditions.js';

const t0 = new Date('2026-12-04T20:00:00.123Z');
const t1 = new Date('2026-12-04T21:00:00Z');

describe('status conditions', () => {
  it('adds a condition with its transition time, to the second', () => {
    const conditions = setCondition(
      undefined,
      { type: 'Ready', status: 'False', reason: 'Waiting', observedGeneration: 3 },
      t0,
    );
    expect(conditions).toEqual([
      {
        type: 'Ready',
        status: 'False',
        reason: 'Waiting',
        message: '',
        lastTransitionTime: '2026-12-04T20:00:00Z',
        observedGeneration: 3,
      },
    ]);
  });

  it('moves lastTransitionTime only when the status changes', () => {
    const a = setCondition([], { type: 'Ready', status: 'False', reason: 'Waiting' }, t0);
    const b = setCondition(
      a,
      { type: 'Ready', status: 'False', reason: 'StillWaiting', message: 'for 2 pods' },
      t1,
    );
    expect(findCondition(b, 'Ready')).toMatchObject({
      reason: 'StillWaiting',
      message: 'for 2 pods',
      lastTransitionTime: '2026-12-04T20:00:00Z',
    });
    const c = setCondition(b, { type: 'Ready', status: 'True', reason: 'Available' }, t1);
    expect(findCondition(c, 'Ready')?.lastTransitionTime).toBe('2026-12-04T21:00:00Z');
    expect(isConditionTrue(c, 'Ready')).toBe(true);
  });

  it('returns the same array when nothing changed, so that a status write can be skipped', () => {
    const a = setCondition(
      [],
      { type: 'Ready', status: 'True', reason: 'Available', observedGeneration: 2 },
      t0,
    );
    expect(
      setCondition(a, { type: 'Ready', status: 'True', reason: 'Available', observedGeneration: 2 }, t1),
    ).toBe(a);
    expect(
      setCondition(a, { type: 'Ready', status: 'True', reason: 'Available', observedGeneration: 3 }, t1),
    ).not.toBe(a);
  });

  it('keeps other types and their order, and never mutates', () => {
    const start: Condition[] = [
      { type: 'Available', status: 'True', reason: 'A', message: '', lastTransitionTime: 'x' },
      { type: 'Ready', status: 'False', reason: 'B', message: '', lastTransitionTime: 'y' },
      { type: 'Progressing', status: 'True', reason: 'C', message: '', lastTransitionTime: 'z' },
    ];
    const frozen = Object.freeze(start.map((c) => Object.freeze(c)));
    const next = setCondition(frozen, { type: 'Ready', status: 'True', reason: 'D' }, t1);
    expect(next.map((c) => c.type)).toEqual(['Available', 'Ready', 'Progressing']);
    expect(removeCondition(next, 'Available').map((c) => c.type)).toEqual(['Ready', 'Progressing']);
    expect(removeCondition(next, 'Missing')).toBe(next);
  });

  it('tells whether a condition was computed from the current generation', () => {
    const c = setCondition(
      [],
      { type: 'Ready', status: 'True', reason: 'Available', observedGeneration: 4 },
      t0,
    );
    expect(isConditionCurrent(c, 'Ready', 4)).toBe(true);
    expect(isConditionCurrent(c, 'Ready', 5)).toBe(false);
    expect(isConditionCurrent(c, 'Other', 4)).toBe(false);
  });

  it('refuses what the API server would refuse, naming the field', () => {
    expect(() => setCondition([], { type: 'Ready', status: 'Yes' as never, reason: 'A' })).toThrow(
      /setCondition: status must be "True", "False" or "Unknown", got "Yes"/,
    );
    expect(() => setCondition([], { type: 'Ready', status: 'True', reason: 'has spaces' })).toThrow(
      /reason must be an UpperCamelCase word/,
    );
    expect(() => setCondition([], { type: '', status: 'True', reason: 'A' })).toThrow(/type must be/);
    expect(() =>
      setCondition([], { type: 'Ready', status: 'True', reason: 'A', observedGeneration: -1 }),
    ).toThrow(/observedGeneration/);
  });
});
