import type { KubernetesObject } from '@kates/core';
import type { ObjectApi } from './object-api.js';
import type { ResourceRegistry } from './registry.js';
import type { ObjectStore, StoreEvent } from './store.js';

const NAMESPACES = '/namespaces';

/**
 * What kube-controller-manager's namespace controller does for the fake: a namespace being
 * deleted has its objects deleted (objects with finalizers are marked and waited for), then its
 * `kubernetes` finalizer removed, which deletes it. The test cluster runs no controllers, so
 * there a namespace stays Terminating; the fake behaves like a real cluster instead.
 */
export class NamespaceController {
  private readonly pending = new Set<string>();
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Immediate | undefined;

  constructor(
    private readonly store: ObjectStore,
    private readonly registry: ResourceRegistry,
    private readonly api: ObjectApi,
  ) {}

  start(): void {
    this.unsubscribe = this.store.subscribe((e) => this.onEvent(e));
  }

  stop(): void {
    this.unsubscribe?.();
    if (this.timer) clearImmediate(this.timer);
  }

  private terminating(ns: string | undefined): boolean {
    return ns !== undefined && this.store.get(NAMESPACES, ns)?.metadata?.deletionTimestamp !== undefined;
  }

  private onEvent(e: StoreEvent): void {
    const ns = e.storageKey === NAMESPACES ? e.object.metadata?.name : e.object.metadata?.namespace;
    if (e.type === 'DELETED' && e.storageKey === NAMESPACES) return;
    if (!this.terminating(ns)) return;
    this.pending.add(ns as string);
    this.timer ??= setImmediate(() => {
      this.timer = undefined;
      const names = [...this.pending];
      this.pending.clear();
      for (const n of names) this.finalize(n);
    });
  }

  private finalize(ns: string): void {
    const namespace = this.store.get(NAMESPACES, ns);
    if (!namespace?.metadata?.deletionTimestamp) return;
    let remaining = 0;
    for (const storageKey of this.store.storageKeys()) {
      const r = this.registry.storageResource(storageKey);
      if (!r?.namespaced) continue;
      for (const [, obj] of [...this.store.keysFrom(storageKey, ns, undefined)]) {
        remaining++;
        if (!obj.metadata?.deletionTimestamp) this.api.delete(r, ns, obj.metadata?.name as string, {});
        if (this.store.get(storageKey, `${ns}/${obj.metadata?.name}`) === undefined) remaining--;
      }
    }
    if (remaining > 0) return;
    const spec = { ...namespace.spec, finalizers: [] as string[] };
    const last: KubernetesObject = { ...namespace, spec };
    if ((namespace.metadata?.finalizers ?? []).length === 0)
      this.store.commit(NAMESPACES, ns, () => undefined);
    else
      this.store.commit(NAMESPACES, ns, (rv) => ({
        ...last,
        metadata: { ...last.metadata, resourceVersion: rv },
      }));
  }
}
