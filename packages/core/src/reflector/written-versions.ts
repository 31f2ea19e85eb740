import { compareResourceVersions } from '../resource-version.js';

/**
 * The newest resourceVersion a client has written, per group-kind: the first list of a watch made
 * after a write must be at least that new.
 *
 * Why: a reflector's first list is consistent, except where a cache in between answers it from
 * what it holds (the fan-out proxy serves a list without a version from its cache, which can trail
 * etcd by a few milliseconds). An accumulator made just after a create would then start without
 * the object its own client had just created, and a controller could create it again. Asking for
 * `resourceVersionMatch=NotOlderThan` with the newest write of the kind makes every cache wait
 * until it is as new as the client's writes (it reaches that version, because it is one of its own
 * kind's events), and is still served from the cache.
 */
export class WrittenVersions {
  private readonly newestByKind = new Map<string, string>();

  /** Notes a write's result. */
  note(groupKind: string, resourceVersion: string | undefined): void {
    if (!resourceVersion) return;
    const held = this.newestByKind.get(groupKind);
    const c = compareResourceVersions(resourceVersion, held);
    // Versions that cannot be ordered (not etcd revisions): the later write wins.
    if (held === undefined || c === undefined || c > 0) this.newestByKind.set(groupKind, resourceVersion);
  }

  /** The newest version written of the kind, or undefined if the client wrote none. */
  newest(groupKind: string): string | undefined {
    return this.newestByKind.get(groupKind);
  }
}
