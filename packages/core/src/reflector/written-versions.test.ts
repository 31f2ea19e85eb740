import { describe, expect, it } from 'vitest';
import { WrittenVersions } from './written-versions.js';

describe('WrittenVersions', () => {
  it('keeps the newest version of each kind, comparing etcd revisions as integers', () => {
    const v = new WrittenVersions();
    v.note('ConfigMap', '99');
    v.note('ConfigMap', '100');
    v.note('ConfigMap', '98');
    v.note('Deployment.apps', '7');
    expect(v.newest('ConfigMap')).toBe('100');
    expect(v.newest('Deployment.apps')).toBe('7');
    expect(v.newest('Secret')).toBeUndefined();
  });

  it('takes the later write where versions cannot be ordered, and ignores a write without one', () => {
    const v = new WrittenVersions();
    v.note('Widget.example.com', 'b-2');
    v.note('Widget.example.com', 'a-1');
    v.note('Widget.example.com', undefined);
    v.note('Widget.example.com', '');
    expect(v.newest('Widget.example.com')).toBe('a-1');
  });
});
