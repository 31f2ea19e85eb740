import {
  type Accumulator,
  createKatesStore,
  dropManagedFields,
  type KatesStore,
  type KubernetesObject,
  type ObjectTransform,
} from '@kates/core';
import {
  type AccumulatorHost,
  createAccumulator,
  listCompleted,
  listPage,
  listStarted,
  reflectorAdded,
  type WatchEventPayload,
  watchEvents,
} from '@kates/core/internal';
import type { BenchKind } from '../objects.js';
import { RESOURCES, resolveBenchKind } from '../resources.js';
import { nextTurn } from '../stats.js';
import { listPages } from './feed.js';

/** A kates store with one accumulator over one collection, fed by hand: no server, no reflector. */
export interface KatesFixture {
  readonly store: KatesStore;
  readonly acc: Accumulator;
  /** The watch key the accumulator's query is bound to. */
  readonly key: string;
  /** Dispatches one batch of watch events. */
  dispatchEvents(events: WatchEventPayload[]): void;
  close(): void;
}

/**
 * Builds the fixture: an accumulator over a host of our own whose `acquireWatch` only registers the
 * watch in the store; then a paginated list of `n` objects (parsed from JSON text, as the reflector
 * does) and its completion.
 */
export async function katesFixture(
  kind: BenchKind,
  n: number,
  options: { namespace?: string; transform?: boolean; freeze?: boolean; store?: KatesStore } = {},
): Promise<KatesFixture> {
  const namespace = options.namespace ?? 'bench';
  const rt = RESOURCES[kind];
  // Explicit, whatever NODE_ENV the bench process has: off unless asked (the production setting).
  const store = options.store ?? createKatesStore({ freeze: options.freeze ?? false });
  let key = '';
  let onBound: () => void = () => {};
  const bound = new Promise<void>((resolve) => {
    onBound = resolve;
  });
  const host: AccumulatorHost = {
    store,
    resolve: resolveBenchKind,
    acquireWatch(k) {
      key = k;
      store.dispatch(
        reflectorAdded({
          key: k,
          groupKind: kind,
          apiVersion: 'v1',
          resource: rt.resource,
          namespace,
          labelSelector: '',
          fieldSelector: '',
        }),
      );
      onBound();
    },
    releaseWatch() {},
  };
  const acc = createAccumulator(host, [{ name: 'objects', kind, namespace }]);
  await bound;
  // queryBound is dispatched right after acquireWatch, in the same turn.
  await nextTurn();
  const transform: ObjectTransform | undefined = options.transform ? dropManagedFields : undefined;
  store.dispatch(listStarted({ key }));
  for (const page of listPages(kind, n, namespace)) {
    const items = (JSON.parse(page) as { items: KubernetesObject[] }).items;
    store.dispatch(listPage({ key, items: transform ? items.map(transform) : items }));
  }
  store.dispatch(listCompleted({ key, resourceVersion: String(n) }));
  return {
    store,
    acc,
    key,
    dispatchEvents: (events) => store.dispatch(watchEvents({ key, events })),
    close: () => acc.close(),
  };
}
