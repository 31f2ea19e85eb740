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
  groupKind: string;
  metadataOnly: boolean;
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

  /** @throws Error when the kind is watched in the other form (whole or metadata only): see `Query.metadataOnly`. */
  acquire(key: string, resource: ResourceType, spec: QuerySpec & { readonly metadataOnly?: boolean }): void {
    const shared = this.watches.get(key);
    if (shared) {
      shared.users++;
      return;
    }
    const groupKind = groupKindOf(resource);
    const metadataOnly = spec.metadataOnly === true;
    for (const other of this.watches.values()) {
      if (other.groupKind === groupKind && other.metadataOnly !== metadataOnly) {
        throw new Error(
          `${groupKind} is already watched ${other.metadataOnly ? 'metadata only' : 'whole'} by this client, ` +
            `and its store holds one object per uid: make every query of ${groupKind} ` +
            `${other.metadataOnly ? 'metadata only' : 'whole'}, or watch this one with another client`,
        );
      }
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
        ...(metadataOnly ? { metadataOnly } : {}),
      },
      this.options,
    );
    this.watches.set(key, { reflector, users: 1, groupKind, metadataOnly });
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

  /** Whether the kind is watched metadata only (then every watch of it is). */
  isMetadataOnly(groupKind: string): boolean {
    for (const w of this.watches.values()) if (w.groupKind === groupKind) return w.metadataOnly;
    return false;
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
