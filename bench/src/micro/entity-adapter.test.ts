import type { KubernetesObject } from '@kates/core';
import { describe, expect, it } from 'vitest';
import { stored } from '../objects.js';
import { createEntityAdapterStore, entityActions, entityStateOf } from './entity-adapter.js';

describe('the entity-adapter baseline', () => {
  it('holds what setMany leaves, built without the adapter', () => {
    const objects: KubernetesObject[] = [];
    for (let i = 0; i < 50; i++) objects.push(stored('Pod', i, 'ns', i + 1));
    // A uid that comes twice keeps its first place and its last object, as setMany does.
    objects.push({ ...stored('Pod', 7, 'ns', 51), status: { phase: 'Failed' } });

    const byAdapter = createEntityAdapterStore();
    byAdapter.store.dispatch(entityActions.setMany(objects.slice(0, 20)));
    byAdapter.store.dispatch(entityActions.setMany(objects.slice(20)));
    const built = entityStateOf(objects);

    expect(built).toEqual(byAdapter.store.getState().objects);
    expect(built.ids).toHaveLength(50);
    expect(built.entities[built.ids[7]!]?.status).toEqual({ phase: 'Failed' });
    expect(Object.isFrozen(built.entities[built.ids[3]!]?.metadata)).toBe(true);

    const preloaded = createEntityAdapterStore(built);
    preloaded.store.dispatch(entityActions.removeOne(built.ids[0]!));
    expect(preloaded.snapshot()).toHaveLength(49);
    expect(preloaded.store.getState().objects.entities[built.ids[1]!]).toBe(built.entities[built.ids[1]!]);
  });
});
