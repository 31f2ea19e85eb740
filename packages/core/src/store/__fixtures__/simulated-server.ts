import type { KubernetesObject } from '../../model/object.js';
import type { WatchEventPayload } from '../actions.js';

/** One write of the simulated API server: the object before and after (absent when created/deleted). */
export interface Change {
  readonly rv: number;
  readonly before?: KubernetesObject;
  readonly after?: KubernetesObject;
}

/**
 * A tiny API server for one kind, for model tests: a global resourceVersion counter, objects in
 * fixed slots (namespace/name), a new uid on every create, and a history from which each watch
 * derives its events the way the real one does (an object entering a selector is ADDED, leaving it
 * is DELETED with the last state that matched, at the new resourceVersion, as a deletion is).
 */
export class SimulatedServer {
  rv: number;
  readonly history: Change[] = [];
  readonly live = new Map<number, KubernetesObject>();
  private uids = 0;

  constructor(
    firstRv: number,
    private readonly slots: readonly { namespace: string; name: string }[],
  ) {
    this.rv = firstRv;
  }

  /** Creates or updates the object of `slot` with label `app` (none when undefined). */
  apply(slot: number, app: string | undefined): KubernetesObject {
    const before = this.live.get(slot);
    const { namespace, name } = this.slots[slot]!;
    const after: KubernetesObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace,
        uid: before?.metadata?.uid ?? `u${++this.uids}`,
        resourceVersion: String(++this.rv),
        ...(app ? { labels: { app } } : {}),
      },
    };
    this.live.set(slot, after);
    this.history.push({ rv: this.rv, ...(before ? { before } : {}), after });
    return structuredClone(after);
  }

  /** Deletes the object of `slot`; returns its final state (at the deletion's resourceVersion). */
  remove(slot: number): KubernetesObject | undefined {
    const before = this.live.get(slot);
    if (!before) return undefined;
    this.live.delete(slot);
    ++this.rv;
    this.history.push({ rv: this.rv, before });
    return withRv(before, this.rv);
  }

  /** The event a watch with predicate `match` sees for `change`, if any. */
  static eventOf(change: Change, match: (o: KubernetesObject) => boolean): WatchEventPayload | undefined {
    const was = change.before !== undefined && match(change.before);
    const is = change.after !== undefined && match(change.after);
    if (is) return { type: was ? 'MODIFIED' : 'ADDED', object: structuredClone(change.after!) };
    // Deleted, or left the selector: kube-apiserver sends the last state that matched, at the
    // version of the change, either way (its etcd3 watcher and its cacher alike), and so does the fake.
    if (was) return { type: 'DELETED', object: withRv(change.before!, change.rv) };
    return undefined;
  }

  /** The live objects a list with predicate `match` returns. */
  list(match: (o: KubernetesObject) => boolean): KubernetesObject[] {
    return [...this.live.values()].filter(match).map((o) => structuredClone(o));
  }
}

function withRv(obj: KubernetesObject, rv: number): KubernetesObject {
  const copy = structuredClone(obj);
  copy.metadata = { ...copy.metadata, resourceVersion: String(rv) };
  return copy;
}
