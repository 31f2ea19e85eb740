import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  it('reads seconds, minutes, hours, milliseconds and their sums', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('1.5m')).toBe(90_000);
  });

  it('refuses a number without a unit, naming the accepted forms', () => {
    expect(() => parseDuration('300')).toThrow('"300" is not a duration: write it as 90s, 5m, 1h or 1m30s');
    expect(() => parseDuration('5 m')).toThrow(TypeError);
    expect(() => parseDuration('')).toThrow(TypeError);
  });
});
