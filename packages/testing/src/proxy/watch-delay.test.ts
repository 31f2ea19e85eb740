import { describe, expect, it } from 'vitest';
import { LineSchedule, type SlowedWatchRule, watchedCollection } from './watch-delay.js';

const line = (type: string, name: string, kind = 'ConfigMap', namespace = 'ns') =>
  JSON.stringify({ type, object: { kind, metadata: { name, namespace, resourceVersion: '1' } } });

const configMaps = { resource: 'configmaps', group: '', namespace: 'ns' };
const schedule = (...rules: SlowedWatchRule[]) => new LineSchedule(configMaps, () => rules);

describe('watchedCollection', () => {
  it('reads the resource, group and namespace of watch paths of every form', () => {
    expect(watchedCollection('/api/v1/namespaces/ns/configmaps')).toEqual(configMaps);
    expect(watchedCollection('/api/v1/configmaps')).toEqual({ resource: 'configmaps', group: '' });
    expect(watchedCollection('/api/v1/namespaces')).toEqual({ resource: 'namespaces', group: '' });
    expect(watchedCollection('/apis/apps/v1/namespaces/a/deployments')).toEqual({
      resource: 'deployments',
      group: 'apps',
      namespace: 'a',
    });
    expect(watchedCollection('/api/v1/watch/namespaces/ns/configmaps')).toEqual(configMaps);
    expect(watchedCollection('/apis/example.kates.dev/v1/mappings')).toEqual({
      resource: 'mappings',
      group: 'example.kates.dev',
    });
  });

  it('reads nothing from paths that are not collections', () => {
    expect(watchedCollection('/version')).toBeUndefined();
    expect(watchedCollection('/apis/apps')).toBeUndefined();
  });
});

describe('LineSchedule', () => {
  it('sends lines no rule matches at once', () => {
    const s = schedule({ resource: 'secrets', delayMs: 1000 });
    expect(s.due(line('ADDED', 'a'), 100)).toEqual({ at: 100, slowed: false });
  });

  it('holds a matching line for delayMs, and the lines behind it until it is out', () => {
    const s = schedule({ resource: 'configmaps', name: 'slow', delayMs: 1000 });
    expect(s.due(line('ADDED', 'slow'), 100)).toEqual({ at: 1100, slowed: true });
    expect(s.due(line('ADDED', 'fast'), 200)).toEqual({ at: 1100, slowed: false });
    expect(s.due(line('ADDED', 'fast'), 2000)).toEqual({ at: 2000, slowed: false });
  });

  it('paces `each` slowed line after the one before, so the lag grows, as Go kates hooks did', () => {
    const s = schedule({ kind: 'ConfigMap', delayMs: 1000 });
    expect([0, 10, 20].map((t) => s.due(line('MODIFIED', 'a'), t).at)).toEqual([1000, 2000, 3000]);
  });

  it('delays `lag` lines by a constant time after they arrived', () => {
    const s = schedule({ kind: 'ConfigMap', delayMs: 1000, pace: 'lag' });
    expect([0, 10, 20].map((t) => s.due(line('MODIFIED', 'a'), t).at)).toEqual([1000, 1010, 1020]);
  });

  it('slows added, modified and deleted events by default, not bookmarks', () => {
    const s = schedule({ delayMs: 1000, pace: 'lag' });
    expect(s.due(line('BOOKMARK', ''), 0).slowed).toBe(false);
    expect(s.due(line('DELETED', 'a'), 0).slowed).toBe(true);
  });

  it('slows only the event types, names, kinds, namespaces and resources a rule names', () => {
    const rule: SlowedWatchRule = {
      resource: 'configmaps',
      kind: 'ConfigMap',
      namespace: 'ns',
      name: /^test-deltas/,
      types: ['DELETED'],
      delayMs: 10,
      pace: 'lag',
    };
    const slowed = (l: string, rules = [rule]) => new LineSchedule(configMaps, () => rules).due(l, 0).slowed;
    expect(slowed(line('DELETED', 'test-deltas-1'))).toBe(true);
    expect(slowed(line('MODIFIED', 'test-deltas-1'))).toBe(false);
    expect(slowed(line('DELETED', 'other'))).toBe(false);
    expect(slowed(line('DELETED', 'test-deltas-1', 'Secret'))).toBe(false);
    expect(slowed(line('DELETED', 'test-deltas-1', 'ConfigMap', 'elsewhere'))).toBe(false);
    expect(slowed(line('DELETED', 'test-deltas-1'), [{ ...rule, resource: 'deployments.apps' }])).toBe(false);
    expect(slowed(line('DELETED', 'test-deltas-1'), [{ ...rule, name: 'test-deltas-1' }])).toBe(true);
  });

  it('names a resource of a named group with its group', () => {
    const deployments = new LineSchedule({ resource: 'deployments', group: 'apps' }, () => [
      { resource: 'deployments.apps', delayMs: 10 },
    ]);
    expect(deployments.due(line('ADDED', 'd', 'Deployment'), 0).slowed).toBe(true);
  });

  it('reads rule changes for the lines that arrive after them', () => {
    let rules: SlowedWatchRule[] = [];
    const s = new LineSchedule(configMaps, () => rules);
    expect(s.due(line('ADDED', 'a'), 0).slowed).toBe(false);
    rules = [{ delayMs: 50 }];
    expect(s.due(line('ADDED', 'a'), 0)).toEqual({ at: 50, slowed: true });
  });

  it('passes lines that are not watch events through unslowed, in order', () => {
    const s = schedule({ delayMs: 1000 });
    expect(s.due(line('ADDED', 'a'), 0).at).toBe(1000);
    expect(s.due('not json', 5)).toEqual({ at: 1000, slowed: false });
  });
});
