import type { Action } from '@reduxjs/toolkit';
import type { KubernetesObject } from '../../model/object.js';
import * as actions from '../actions.js';

/**
 * The rules of the store, written as plainly as possible to test the real one against: maps and
 * sets, recomputed in full after every action, integer resourceVersions only. One kind.
 *
 * - An object is held once, in its newest known version (by resourceVersion).
 * - A watch ignores events at or below the resourceVersion it has reached (duplicates, replays);
 *   otherwise ADDED/MODIFIED put the uid in its set, DELETED takes it out.
 * - A list replaces the watch's set when it completes; until then nothing changes.
 * - A local write is ignored when older than the held version, or when every watch has reached
 *   it already; otherwise it is pending until every watch reaches its resourceVersion. Here and
 *   below, a watch of another namespace than the object's counts as having reached every version
 *   of it (it can never deliver it).
 * - An object no watch holds and no local write keeps is dropped once every watch has reached its
 *   version; until then it is kept, hidden, as a floor that older events cannot go below.
 * - A query shows an object that matches its watch (newest version) and is held by the watch or
 *   has a pending local write the watch has not reached; a pending local delete hides it.
 * - A DELETED event of an object that still matches the watch is a deletion (UIDs are never
 *   reused): pending, as a local delete, until every watch has reached it; several: the latest.
 *   (A DELETED of one that no longer matches: it left the set.) But a watch with selectors gets
 *   the same DELETED (the last state that matched, at the new version) when the object only
 *   leaves them: so the deletion is only "seen", and an event, list item or write showing the
 *   object alive at its version or later lifts it. A DELETED at a version the object is already
 *   held alive at is a leave.
 * - A deletion is final for its UID: once one is pending, every later write of that UID is ignored
 *   (it can only be older than the deletion).
 * - A delete answered without a resourceVersion (a `Status`) is pending at an unknown version,
 *   which no watch reaches, until the client's consistent list (`deletionVersion`) gives it one.
 *   Any other write without a resourceVersion is ignored.
 * - The DELETED of a watch without selectors is the deletion itself: its version replaces that of
 *   the client's own deletion. A selector's DELETED never dates the client's deletion (it may be
 *   an earlier leave).
 */
export class ReferenceStore {
  readonly watches = new Map<string, RefWatch>();
  readonly objects = new Map<string, KubernetesObject>();
  /** Pending local entries; `rv` undefined: a deletion whose version is not known yet. */
  readonly local = new Map<
    string,
    { rv: number | undefined; deleted: boolean; floor?: boolean; seen?: boolean }
  >();
  readonly queries = new Map<string, string>();

  constructor(private readonly matchers: Record<string, (obj: KubernetesObject) => boolean>) {}

  apply(a: Action): void {
    if (actions.reflectorAdded.match(a)) {
      const match = this.matchers[a.payload.key];
      if (!match) throw new Error(`no matcher for watch ${a.payload.key}`);
      const certain = !a.payload.labelSelector && !a.payload.fieldSelector;
      const namespace = a.payload.namespace || undefined;
      this.watches.set(a.payload.key, { rv: undefined, held: new Set(), match, certain, namespace });
    } else if (actions.queryBound.match(a)) {
      this.queries.set(a.payload.id, a.payload.watchKey);
    } else if (actions.listStarted.match(a)) {
      this.watch(a.payload.key).buffer = new Map();
    } else if (actions.listPage.match(a)) {
      const w = this.watch(a.payload.key);
      const buffer = w.buffer ?? new Map<string, KubernetesObject>();
      for (const obj of a.payload.items) buffer.set(uid(obj), obj);
      w.buffer = buffer;
    } else if (actions.listCompleted.match(a)) {
      const w = this.watch(a.payload.key);
      const items = w.buffer ?? new Map();
      for (const obj of items.values()) {
        this.liftSeen(obj);
        this.keepNewest(obj);
      }
      w.held = new Set(items.keys());
      w.rv = Number(a.payload.resourceVersion);
      w.buffer = undefined;
    } else if (actions.watchEvents.match(a)) {
      const w = this.watch(a.payload.key);
      for (const ev of a.payload.events) {
        const evRv = rv(ev.object);
        if (w.rv !== undefined && evRv <= w.rv) continue;
        w.rv = evRv;
        if (ev.type === 'BOOKMARK') continue;
        const id = uid(ev.object);
        if (ev.type !== 'DELETED') {
          this.liftSeen(ev.object);
          this.keepNewest(ev.object);
          w.held.add(id);
          continue;
        }
        w.held.delete(id);
        const pending = this.local.get(id);
        const held = this.objects.get(id);
        const heldRv = held && rvOf(held);
        if (!pending?.deleted && heldRv !== undefined && heldRv >= evRv) continue; // left
        this.keepNewest(ev.object);
        // A DELETED of an object that no longer matches says it left the set, not that it is gone.
        if (!w.match(ev.object)) continue;
        if (pending?.deleted && !pending.seen) {
          if (w.certain) this.local.set(id, { rv: evRv, deleted: true });
        } else if (!pending?.deleted || pending.rv === undefined || evRv > pending.rv) {
          this.local.set(id, { rv: evRv, deleted: true, seen: true });
        }
      }
    } else if (actions.localWrite.match(a)) {
      const { object, deleted } = a.payload;
      const id = uid(object);
      const writeRv = rvOf(object);
      if (this.watches.size === 0) return;
      if (!deleted && writeRv !== undefined) this.liftSeen(object);
      const held = this.objects.get(id);
      const pending = this.local.get(id);
      // The client's own deletion replaces one a watch only saw (which may have been a leave).
      if (pending?.deleted && !(deleted && pending.seen)) {
        if (deleted && pending.rv === undefined && writeRv !== undefined) pending.rv = writeRv;
      } else if (writeRv === undefined) {
        if (deleted) {
          if (!held) this.objects.set(id, object);
          this.local.set(id, { rv: undefined, deleted: true });
        }
      } else {
        const heldRv = held && rvOf(held);
        if (held && heldRv !== undefined && writeRv < heldRv && !deleted) return;
        if (!deleted && [...this.watches.values()].every((w) => passed(w, writeRv, object))) return;
        this.keepNewest(object);
        this.local.set(id, { rv: writeRv, deleted });
      }
    } else if (actions.deletionVersion.match(a)) {
      for (const id of a.payload.uids) {
        const pending = this.local.get(id);
        if (pending?.deleted && pending.rv === undefined) pending.rv = Number(a.payload.resourceVersion);
      }
    }
    this.settle();
  }

  /** The query's field: `uid@resourceVersion`, sorted by namespace, name, uid. */
  visible(queryId: string): string[] {
    const key = this.queries.get(queryId);
    const w = key === undefined ? undefined : this.watches.get(key);
    if (!w) return [];
    const shown: KubernetesObject[] = [];
    for (const [id, obj] of this.objects) {
      const l = this.local.get(id);
      if (l?.deleted || !w.match(obj)) continue;
      if (w.held.has(id) || (l && !l.floor && !reached(w, l.rv))) shown.push(obj);
    }
    const sortKey = (o: KubernetesObject) => [o.metadata?.namespace ?? '', o.metadata?.name ?? '', uid(o)];
    shown.sort((x, y) => {
      const [a, b] = [sortKey(x), sortKey(y)];
      for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
      return 0;
    });
    return shown.map((o) => `${uid(o)}@${rv(o)}`);
  }

  private watch(key: string): RefWatch {
    const w = this.watches.get(key);
    if (!w) throw new Error(`no watch ${key}`);
    return w;
  }

  /** An object alive at or after a deletion a watch saw: that deletion was the object leaving. */
  private liftSeen(obj: KubernetesObject): void {
    const id = uid(obj);
    const pending = this.local.get(id);
    if (!pending?.deleted || !pending.seen || pending.rv === undefined || rv(obj) < pending.rv) return;
    this.local.delete(id);
    this.objects.set(id, obj);
  }

  private keepNewest(obj: KubernetesObject): void {
    const held = this.objects.get(uid(obj));
    const heldRv = held && rvOf(held);
    if (!held || heldRv === undefined || rv(obj) > heldRv) this.objects.set(uid(obj), obj);
  }

  private settle(): void {
    const all = [...this.watches.values()];
    for (const [id, l] of this.local) {
      const obj = this.objects.get(id);
      if (obj && all.every((w) => passed(w, l.rv, obj))) this.local.delete(id);
    }
    for (const [id, obj] of [...this.objects]) {
      if (this.local.has(id) || all.some((w) => w.held.has(id))) continue;
      // Held by no watch: kept, hidden, while a watch has not passed its version.
      const objRv = rvOf(obj);
      if (objRv !== undefined && all.some((w) => !passed(w, objRv, obj)))
        this.local.set(id, { rv: objRv, deleted: false, floor: true });
      else this.objects.delete(id);
    }
  }
}

interface RefWatch {
  rv: number | undefined;
  held: Set<string>;
  buffer?: Map<string, KubernetesObject> | undefined;
  readonly match: (obj: KubernetesObject) => boolean;
  /** No label or field selector: its DELETED is a deletion, never a leave. */
  readonly certain: boolean;
  /** Its namespace; undefined for all namespaces. */
  readonly namespace: string | undefined;
}

/**
 * Whether watch `w` no longer keeps `obj` pending at version `rv`: it has reached it, or it watches
 * another namespace (it can never deliver the object).
 */
function passed(w: RefWatch, rv: number | undefined, obj: KubernetesObject): boolean {
  return (w.namespace !== undefined && w.namespace !== obj.metadata?.namespace) || reached(w, rv);
}

/** Whether watch `w` has reached version `rv`; an unknown version is reached by none. */
function reached(w: RefWatch, rv: number | undefined): boolean {
  return rv !== undefined && w.rv !== undefined && w.rv >= rv;
}

function uid(obj: KubernetesObject): string {
  const u = obj.metadata?.uid;
  if (!u) throw new Error('reference store: object without uid');
  return u;
}

/** The object's resourceVersion, or undefined when it has none (a delete's `Status` answer). */
function rvOf(obj: KubernetesObject): number | undefined {
  return obj.metadata?.resourceVersion === undefined ? undefined : rv(obj);
}

function rv(obj: KubernetesObject): number {
  const n = Number(obj.metadata?.resourceVersion);
  if (!Number.isInteger(n)) throw new Error('reference store: integer resourceVersions only');
  return n;
}
