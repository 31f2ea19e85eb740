import { describe, expect, it } from 'vitest';
import { type CpuProfile, selfOf, totalOf } from './cpu-profile.js';

// (root) -> list -> (anonymous); (root) -> dispatch. Samples 1 ms apart.
const frame = (id: number, functionName: string, children: number[] = []) => ({
  id,
  callFrame: { functionName, url: 'http://x/assets/index.js', lineNumber: id },
  children,
});
const profile: CpuProfile = {
  nodes: [frame(1, '(root)', [2, 4]), frame(2, 'list', [3]), frame(3, ''), frame(4, 'dispatch')],
  // list itself (JSON.parse's samples are its own), list's callee, dispatch
  samples: [2, 2, 2, 3, 4, 4],
  timeDeltas: [0, 1000, 1000, 1000, 1000, 1000, 1000],
  startTime: 0,
};

describe('the load profile', () => {
  it("counts a function's self time apart from what it calls, where JSON.parse's samples fall", () => {
    expect(selfOf(profile, /^list /)).toBe(3);
    expect(totalOf(profile, /^list /)).toBe(4);
    expect(selfOf(profile, /^dispatch /)).toBe(2);
    expect(selfOf(profile, /^nothing /)).toBe(0);
  });
});
