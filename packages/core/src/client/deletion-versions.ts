import { collectionPath, groupKindOf, type ResourceType } from '../discovery/types.js';
import type { KubernetesList } from '../model/object.js';
import { Backoff } from '../reflector/backoff.js';
import { sleep } from '../sleep.js';
import { deletionVersion } from '../store/actions.js';
import type { KatesStore } from '../store/store.js';
import { localOf, storedOf } from '../store/stored-object.js';
import type { Transport } from '../transport/types.js';
import { send } from './request.js';

/** Attempts of the list that learns a deletion's version, before leaving it to the watches. */
const ATTEMPTS = 5;

/**
 * Learns a version at least as new as each delete the API server answered with a `Status`.
 *
 * Why: most kinds answer a DELETE with a `Status`, which carries no resourceVersion. The store
 * then holds the deletion at an unknown version, hiding the object from every query; no watch
 * can be judged to have passed it by arrival order (a lagging watch's next event would rank
 * newer), so it waits for a watch's DELETED event. A watch whose selectors never held the object
 * sends none: a consistent list (no resourceVersion, `limit=1`, in the object's namespace) made
 * after the delete answered is at least as new as the deletion, and its version lets the store
 * release the deletion once every watch has reached it. Deletes that arrive while a list is in
 * flight share the next one, so a burst of deletes costs one list per kind and namespace at a time.
 *
 * Proved by `client/deletion-versions.test.ts` and, end to end, by the Status-delete scenarios of
 * `accumulator/coherence.cluster.test.ts`.
 */
export class DeletionVersions {
  private readonly waiting = new Map<string, Batch>();
  private readonly inFlight = new Set<string>();
  private readonly closed = new AbortController();

  constructor(
    private readonly transport: Transport,
    private readonly store: KatesStore,
  ) {}

  /** A delete of `uid` was answered without a version: learn one, if the store holds the deletion. */
  note(rt: ResourceType, namespace: string | undefined, uid: string): void {
    const local = localOf(storedOf(this.store.getState().kates, uid, groupKindOf(rt)));
    if (!local?.deleted || local.resourceVersion || this.closed.signal.aborted) return;
    const ns = rt.namespaced ? namespace : undefined;
    const key = `${groupKindOf(rt)}/${ns ?? ''}`;
    let batch = this.waiting.get(key);
    if (!batch) {
      batch = { rt, namespace: ns, uids: new Set() };
      this.waiting.set(key, batch);
    }
    batch.uids.add(uid);
    void this.run(key);
  }

  /** Stops every list in flight and every wait between attempts. */
  close(): void {
    this.closed.abort();
    this.waiting.clear();
  }

  private async run(key: string): Promise<void> {
    if (this.inFlight.has(key)) return;
    const batch = this.waiting.get(key);
    if (!batch) return;
    this.waiting.delete(key);
    this.inFlight.add(key);
    try {
      const resourceVersion = await this.listVersion(batch);
      // Nothing after close(): a closed client dispatches no more actions (a recording ends there).
      if (resourceVersion && !this.closed.signal.aborted) {
        this.store.dispatch(
          deletionVersion({ groupKind: groupKindOf(batch.rt), uids: [...batch.uids], resourceVersion }),
        );
      }
    } finally {
      this.inFlight.delete(key);
      if (this.waiting.has(key)) void this.run(key);
    }
  }

  /**
   * The version of a consistent list, or undefined after {@link ATTEMPTS} failures or on close:
   * then a watch's DELETED event is what releases the deletion.
   */
  private async listVersion(batch: Batch): Promise<string | undefined> {
    const backoff = new Backoff({ initialMs: 200, maxMs: 5_000 });
    const signal = this.closed.signal;
    for (let attempt = 1; attempt <= ATTEMPTS && !signal.aborted; attempt++) {
      try {
        const list = await send<KubernetesList>(
          this.transport,
          { method: 'GET', path: collectionPath(batch.rt, batch.namespace), query: { limit: 1 }, signal },
          { verb: 'list', rt: batch.rt, namespace: batch.namespace },
        );
        return list.metadata?.resourceVersion;
      } catch {
        if (signal.aborted || attempt === ATTEMPTS) return undefined;
        await sleep(backoff.failure(), signal);
      }
    }
    return undefined;
  }
}

interface Batch {
  readonly rt: ResourceType;
  readonly namespace: string | undefined;
  readonly uids: Set<string>;
}
