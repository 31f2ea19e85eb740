import { createKatesStore, dropManagedFields, type KubernetesObject } from '@kates/core';
import type { BenchKind } from '../objects.js';
import { canCollect, nextTurn, settledHeap } from '../stats.js';
import { createEntityAdapterStore, entityActions } from './entity-adapter.js';
import { listPages } from './feed.js';
import { katesFixture } from './kates-fixture.js';

/** What holds the objects: the parsed list items alone (the floor), the kates store, or the entity adapter. */
export type MemoryHolder = 'raw' | 'kates' | 'entity-adapter';

export interface MemoryConfig {
  readonly holder: MemoryHolder;
  readonly kind: BenchKind;
  readonly n: number;
  /** Apply `dropManagedFields` as objects arrive (the reflector's `transform`). */
  readonly dropManagedFields: boolean;
  /**
   * Objects of another kind the holder takes first (kates: another query of the same store, in
   * another namespace): the heap counted is what the `n` objects add beside them.
   */
  readonly beside?: { readonly kind: BenchKind; readonly n: number };
}

export interface MemoryResult extends MemoryConfig {
  /** Retained heap per object after full collections, bytes. */
  readonly heapPerObject: number;
  /** The object's JSON as the server sends it (managedFields included), bytes. */
  readonly jsonPerObject: number;
  readonly count: number;
}

/**
 * Retained heap per object, measured in a fresh process: heap after two full collections, with the
 * objects held, minus the heap before. Objects are parsed from list pages as a client receives them.
 */
export async function runMemory(config: MemoryConfig): Promise<MemoryResult> {
  if (!canCollect()) throw new Error('memory numbers need full collections: run node with --expose-gc');
  const namespace = 'bench';
  let jsonBytes = 0;
  for (const page of listPages(config.kind, Math.min(config.n, 2000), namespace)) {
    for (const item of JSON.parse(page).items) jsonBytes += JSON.stringify(item).length;
  }
  const jsonPerObject = jsonBytes / Math.min(config.n, 2000);
  const transform = (o: KubernetesObject) => (config.dropManagedFields ? dropManagedFields(o) : o);
  let held: unknown;
  let count = 0;
  const store = config.holder === 'kates' ? createKatesStore({ freeze: false }) : undefined;
  let beside: unknown;
  if (config.beside) {
    const { kind, n } = config.beside;
    if (store) beside = await katesFixture(kind, n, { namespace: 'beside', store });
    else if (config.holder === 'raw')
      beside = [...listPages(kind, n, 'beside')].map((page) => JSON.parse(page).items as KubernetesObject[]);
    else throw new Error(`memory: ${config.holder} holds nothing beside`);
  }
  const before = settledHeap();
  if (config.holder === 'raw') {
    const items: KubernetesObject[] = [];
    for (const page of listPages(config.kind, config.n, namespace))
      for (const o of JSON.parse(page).items) items.push(transform(o));
    held = items;
    count = items.length;
  } else if (config.holder === 'kates') {
    const fx = await katesFixture(config.kind, config.n, {
      namespace,
      transform: config.dropManagedFields,
      ...(store ? { store } : {}),
    });
    const snapshot: Record<string, readonly KubernetesObject[]> = {};
    fx.acc.update(snapshot);
    held = { fx, snapshot };
    count = snapshot.objects?.length ?? 0;
  } else {
    const ea = createEntityAdapterStore();
    for (const page of listPages(config.kind, config.n, namespace)) {
      ea.store.dispatch(entityActions.setMany((JSON.parse(page).items as KubernetesObject[]).map(transform)));
    }
    held = { ea, items: ea.snapshot() };
    count = ea.snapshot().length;
  }
  // The heap after a turn, as a controller holds its objects: with the copy kates makes on it.
  await nextTurn();
  const after = settledHeap();
  if (count !== config.n) throw new Error(`${config.holder} holds ${count} objects, expected ${config.n}`);
  keep(held);
  keep(beside);
  return { ...config, heapPerObject: (after - before) / config.n, jsonPerObject, count };
}

/** Keeps a value reachable until here, so the collector cannot free it before the measurement. */
function keep(value: unknown): void {
  if (value === Symbol.for('never')) console.log(value);
}
