import { createKatesStore } from '@kates/core/browser';
import {
  listCompleted,
  listPage,
  listStarted,
  localWrite,
  reflectorAdded,
  watchEvents,
} from '@kates/core/internal';
import { describe, expect, it } from 'vitest';
import { makeObject, podType } from './__fixtures__/pods.js';
import { katesDevTools, sanitizeKatesAction } from './devtools.js';

function bigStore(n: number) {
  const store = createKatesStore();
  const key = 'Pod|||';
  store.dispatch(
    reflectorAdded({
      key,
      groupKind: 'Pod',
      apiVersion: 'v1',
      resource: 'pods',
      labelSelector: '',
      fieldSelector: '',
    }),
  );
  store.dispatch(listStarted({ key }));
  const items = Array.from({ length: n }, (_, i) => makeObject(podType, i, i + 1));
  const page = listPage({ key, items });
  store.dispatch(page);
  store.dispatch(listCompleted({ key, resourceVersion: String(n + 1) }));
  return { store, page, key };
}

describe('Redux DevTools sanitizers', () => {
  it('shrink a state of 10,000 pods to counts and three samples', () => {
    const { store } = bigStore(10_000);
    const { stateSanitizer } = katesDevTools() as { stateSanitizer: (s: unknown) => unknown };
    const raw = JSON.stringify(store.getState()).length;
    const sanitized = stateSanitizer(store.getState()) as {
      kates: { objects: { count: number; sample: string[] } };
    };
    const size = JSON.stringify(sanitized).length;
    expect(sanitized.kates.objects.count).toBe(10_000);
    expect(sanitized.kates.objects.sample).toHaveLength(3);
    expect(sanitized.kates.objects.sample[0]).toMatch(/^Pod default\/pods-\d{5}$/);
    expect(size).toBeLessThan(2000);
    expect(raw).toBeGreaterThan(1_000_000);
  });

  it('replace the objects of a list page and the events of a batch by counts and samples', () => {
    const { page, key } = bigStore(1000);
    const listed = sanitizeKatesAction(page) as unknown as {
      payload: { key: string; items: { count: number } };
    };
    expect(listed.payload.key).toBe(key);
    expect(listed.payload.items).toMatchObject({ count: 1000 });
    expect(JSON.stringify(listed).length).toBeLessThan(2000);
    const batch = watchEvents({ key, events: [{ type: 'MODIFIED', object: makeObject(podType, 4, 99) }] });
    expect((sanitizeKatesAction(batch).payload as unknown as { events: unknown }).events).toMatchObject({
      count: 1,
    });
    const secret = localWrite({
      groupKind: 'Secret',
      verb: 'create',
      deleted: false,
      object: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 's', namespace: 'default', uid: 'u' },
        data: { password: 'aHVudGVyMg==' },
      },
    });
    expect(JSON.stringify(sanitizeKatesAction(secret))).not.toContain('aHVudGVyMg==');
    const other = { type: 'app/clicked', payload: { x: 1 } };
    expect(sanitizeKatesAction(other)).toEqual(other);
  });

  it('leave a root state without a kates slice alone', () => {
    const { stateSanitizer } = katesDevTools({ sliceKey: 'cluster' }) as {
      stateSanitizer: (s: unknown) => unknown;
    };
    const root = { kates: { x: 1 } };
    expect(stateSanitizer(root)).toBe(root);
  });
});
