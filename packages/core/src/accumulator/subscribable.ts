/**
 * A set of listeners called on a change: the half of the `useSyncExternalStore` contract that
 * calls back (TanStack Query's `Subscribable`). Subclasses decide when to `notify`.
 */
export class Subscribable {
  private readonly listeners = new Set<() => void>();

  /** Calls `listener` on each change until the returned function is called. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Whether anyone listens. */
  protected get hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  protected notify(): void {
    for (const listener of this.listeners) listener();
  }

  protected unsubscribeAll(): void {
    this.listeners.clear();
  }
}
