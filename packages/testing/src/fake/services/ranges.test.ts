import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../clock.js';
import { ipv4ToNumber, numberToIpv4, parseCidr, pickFree, rangeOffset } from './ranges.js';

describe('service address ranges', () => {
  it('read and write dotted IPv4 addresses, and refuse anything else', () => {
    expect(numberToIpv4(ipv4ToNumber('10.0.0.17') as number)).toBe('10.0.0.17');
    expect(ipv4ToNumber('10.0.0.256')).toBeUndefined();
    expect(ipv4ToNumber('banana')).toBeUndefined();
    expect(ipv4ToNumber('010.0.0.1')).toBeUndefined();
    expect(parseCidr('10.0.0.0/24')).toEqual({ network: ipv4ToNumber('10.0.0.0'), size: 256 });
  });

  it('keep the low band the apiserver keeps for addresses asked for by value', () => {
    expect(rangeOffset(256, 16, 256)).toBe(16);
    expect(rangeOffset(16, 16, 256)).toBe(0);
    expect(rangeOffset(2768, 32, 128)).toBe(86);
  });

  it('pick free numbers above the low band first, then below it, then none', () => {
    const random = new SeededRandom(7);
    const taken = new Set<number>();
    for (let i = 0; i < 8; i++) {
      const n = pickFree(1, 10, 2, taken, random) as number;
      expect(n).toBeGreaterThanOrEqual(3);
      taken.add(n);
    }
    expect([pickFree(1, 10, 2, taken, random), pickFree(1, 10, 2, taken, random)]).toEqual(
      expect.arrayContaining([expect.any(Number)]),
    );
    taken.add(1).add(2);
    expect(pickFree(1, 10, 2, taken, random)).toBeUndefined();
  });
});
