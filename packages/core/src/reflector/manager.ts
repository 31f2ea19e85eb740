import type { AccumulatorHost } from '../accumulator/host.js';
import { apiVersionOf, groupKindOf, type ResourceType } from '../discovery/types.js';
import { reflectorAdded, reflectorRemoved } from '../store/actions.js';
import type { QuerySpec } from '../store/state.js';
import type { KatesStore } from '../store/store.js';
import type { Transport } from '../transport/types.js';
import { Reflector, type ReflectorOptions } from './reflector.js';
import type { WrittenVersions } from './written-versions.js';

interface Shared {
  reflector: Reflector;
  users: number;
}

/**
 * Shares one reflector among every query (of any accumulator) that asks for the same kind,
 * namespace and selectors, and stops it when the last one leaves.
 */
export class WatchManager {
  private readonly watches = new Map<string, Shared>();

  constructor(
    private readonly transport: Transport,
    private readonly store: KatesStore,
    private readonly options: ReflectorOptions = {},
    /** The client's writes: a watch's first list is at least as new as those of its kind. */
    private readonly written?: WrittenVersions,
  ) {}

  acquire(key: string, resource: ResourceType, spec: QuerySpec): void {
    const shared = this.watches.get(key);
    if (shared) {
      shared.users++;
      return;
    }
    const namespace = resource.namespaced ? spec.namespace : undefined;
    this.store.dispatch(
      reflectorAdded({
        key,
        groupKind: groupKindOf(resource),
        apiVersion: apiVersionOf(resource),
        resource: resource.resource,
        ...(namespace ? { namespace } : {}),
        labelSelector: spec.labelSelector,
        fieldSelector: spec.fieldSelector,
      }),
    );
    const reflector = new Reflector(
      this.transport,
      this.store.dispatch,
      {
        key,
        resource,
        ...(namespace ? { namespace } : {}),
        labelSelector: spec.labelSelector,
        fieldSelector: spec.fieldSelector,
        ...(this.written ? { notOlderThan: () => this.written?.newest(groupKindOf(resource)) } : {}),
      },
      this.options,
    );
    this.watches.set(key, { reflector, users: 1 });
    void reflector.start();
  }

  release(key: string): void {
    const shared = this.watches.get(key);
    if (!shared) return;
    if (--shared.users > 0) return;
    this.watches.delete(key);
    // Removed at once: a query that acquires the same key right after gets a fresh watch; the old
    // reflector dispatches nothing once stopped.
    this.store.dispatch(reflectorRemoved({ key }));
    void shared.reflector.stop();
  }

  /** How many distinct watches run. */
  get size(): number {
    return this.watches.size;
  }

  /** Stops every watch. */
  async stopAll(): Promise<void> {
    const all = [...this.watches.entries()];
    this.watches.clear();
    for (const [key] of all) this.store.dispatch(reflectorRemoved({ key }));
    await Promise.all(all.map(([, s]) => s.reflector.stop()));
  }
}

/** An accumulator host from a transport, a kind resolver and a store. */
export function createWatchHost(
  transport: Transport,
  store: KatesStore,
  resolve: (kind: string) => Promise<ResourceType>,
  options?: ReflectorOptions,
  written?: WrittenVersions,
): AccumulatorHost & { readonly watches: WatchManager } {
  const watches = new WatchManager(transport, store, options, written);
  return {
    store,
    resolve,
    watches,
    acquireWatch: (key, resource, spec) => watches.acquire(key, resource, spec),
    releaseWatch: (key) => watches.release(key),
  };
}
