import { describe, expect, it } from 'vitest';

describe('the runtime', () => {
  it('is the Node 24 pinned by the workspace, not the system Node', () => {
    expect(Number(process.versions.node.split('.')[0])).toBe(24);
  });
});
