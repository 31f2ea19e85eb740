/**
 * Copy-on-write edits of a small record (the store's watches and queries, a few dozen entries):
 * the record is copied on the first write of an action, later writes of the same action change
 * the copy in place, and `finish()` hands back the copy, or the very record given when nothing
 * was written, so that selectors keyed on it keep their memo. The large collections (objects,
 * pending writes) are persistent trees with their own editor, {@link TreeEditor}.
 */
export class RecordEditor<V> {
  private copy: Record<string, V> | undefined;

  constructor(private readonly base: Readonly<Record<string, V>>) {}

  /** The record as this action leaves it so far. */
  get current(): Readonly<Record<string, V>> {
    return this.copy ?? this.base;
  }

  /** Whether anything was written. */
  get changed(): boolean {
    return this.copy !== undefined;
  }

  get(key: string): V | undefined {
    return this.current[key];
  }

  set(key: string, value: V): void {
    this.writable()[key] = value;
  }

  delete(key: string): void {
    if (key in this.current) delete this.writable()[key];
  }

  /** The edited record: a new one if anything was written, else the one given. */
  finish(): Readonly<Record<string, V>> {
    return this.current;
  }

  private writable(): Record<string, V> {
    this.copy ??= { ...this.base };
    return this.copy;
  }
}
