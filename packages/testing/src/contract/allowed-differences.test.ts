import { describe, expect, it } from 'vitest';
import { ALLOWED_DIFFERENCES } from './allowed-differences.js';

describe('the allowed differences between the fake and a real kube-apiserver', () => {
  it('stay few, and each says why', () => {
    const entries = Object.entries(ALLOWED_DIFFERENCES);
    expect(entries.length).toBeLessThanOrEqual(8);
    for (const [name, reason] of entries) expect(reason.length, name).toBeGreaterThan(80);
  });
});
