import type { Action } from '@reduxjs/toolkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubernetesObject } from '../model/object.js';
import { ReferenceStore } from './__fixtures__/reference-store.js';
import { SimulatedServer } from './__fixtures__/simulated-server.js';
import { pendingRecord } from './__fixtures__/store.js';
import * as actions from './actions.js';
import { createKatesSelectors } from './selectors.js';
import { buildSortedItems } from './sorted-items.js';
import { createKatesStore, type KatesRootState } from './store.js';
import { forEachStored, objectOf, storedOf, versionOf } from './stored-object.js';

/**
 * Model-based test of the store: random histories of a simulated API server, delivered to one or
 * two watches of Pods with lags, duplicates and replays, relists (interleaved with everything else),
 * bookmarks, and the client's own writes and deletes (some of whose responses arrive late and out
 * of order). After every command each query's field must equal what the plain reference store
 * computes, and once every watch has caught up, what the server holds.
 */

const slots = [
  { namespace: 'ns1', name: 'p0' },
  { namespace: 'ns1', name: 'p1' },
  { namespace: 'ns2', name: 'p0' },
  { namespace: 'ns2', name: 'p2' },
];
const app = (o: KubernetesObject) => o.metadata?.labels?.app;
/** What each watch's server-side filter selects: these must agree with the selectors below. */
const watches = [
  { key: 'A', labelSelector: 'app=a', match: (o: KubernetesObject) => app(o) === 'a' },
  {
    key: 'B',
    namespace: 'ns1',
    labelSelector: 'app in (a,b)',
    match: (o: KubernetesObject) => o.metadata?.namespace === 'ns1' && (app(o) === 'a' || app(o) === 'b'),
  },
  // No selectors: its DELETED is a deletion, never a leave, and dates the client's deletions.
  {
    key: 'C',
    namespace: 'ns2',
    labelSelector: '',
    match: (o: KubernetesObject) => o.metadata?.namespace === 'ns2',
  },
] as const;
const queries = [
  { id: 'qA', watch: 0 },
  { id: 'qA2', watch: 0 },
  { id: 'qB', watch: 1 },
  { id: 'qC', watch: 2 },
];
const late = { id: 'qLate', watch: 1 };

type Command =
  | { t: 'write'; slot: number; app: string | undefined }
  | { t: 'delete'; slot: number }
  | { t: 'clientWrite'; slot: number; app: string | undefined; deferred: boolean }
  | { t: 'clientDelete'; slot: number; deferred: boolean; status: boolean }
  | { t: 'clientBurst'; slot: number; status: boolean; deferred: boolean }
  | { t: 'respond'; i: number }
  | { t: 'deliver'; w: number; n: number }
  | { t: 'replay'; w: number; back: number; n: number }
  | { t: 'bookmark'; w: number; back: number }
  | { t: 'relistStart'; w: number; pageSize: number }
  | { t: 'relistFinish'; w: number }
  | { t: 'bindLate' };

const slot = fc.integer({ min: 0, max: slots.length - 1 });
const label = fc.constantFrom('a', 'b', undefined);
const w = fc.integer({ min: 0, max: watches.length - 1 });
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant('write' as const), slot, app: label }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('delete' as const), slot }) },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('clientWrite' as const),
      slot,
      app: label,
      deferred: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('clientDelete' as const),
      slot,
      deferred: fc.boolean(),
      status: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('clientBurst' as const),
      slot,
      status: fc.boolean(),
      deferred: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('respond' as const), i: fc.nat(4) }) },
  {
    weight: 5,
    arbitrary: fc.record({ t: fc.constant('deliver' as const), w, n: fc.integer({ min: 1, max: 4 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('replay' as const),
      w,
      back: fc.integer({ min: 1, max: 8 }),
      n: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant('bookmark' as const), w, back: fc.integer({ min: 0, max: 2 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('relistStart' as const),
      w,
      pageSize: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('relistFinish' as const), w }) },
  { weight: 1, arbitrary: fc.constant({ t: 'bindLate' as const }) },
);

interface WatchSim {
  listed: boolean;
  /** History entries delivered so far. */
  cursor: number;
  listing?: { rest: KubernetesObject[][]; rv: number; cursor: number };
  /** Events already delivered, for replays. */
  delivered: actions.WatchEventPayload[];
}

class Harness {
  readonly store = createKatesStore();
  readonly selectors = createKatesSelectors((root: KatesRootState) => root.kates);
  readonly ref: ReferenceStore;
  readonly server = new SimulatedServer(90, slots);
  readonly sims: WatchSim[];
  readonly responses: Action[] = [];
  readonly bound: { id: string; watch: number }[] = [];
  private readonly lastItems = new Map<string, readonly KubernetesObject[]>();

  /**
   * `watchCount` 1: watch A alone, so that its lists take the store's bulk path for the only watch
   * of a kind (`Batch.adoptFirstList`); 2: A and B, both with selectors, the general path; 3: also C,
   * without selectors, whose DELETED events date the client's deletions.
   */
  constructor(readonly watchCount = 2) {
    const live = watches.slice(0, watchCount);
    this.ref = new ReferenceStore(Object.fromEntries(live.map((x) => [x.key, x.match])));
    this.sims = live.map(() => ({ listed: false, cursor: 0, delivered: [] }));
    for (const x of live) {
      this.dispatch(
        actions.reflectorAdded({
          key: x.key,
          groupKind: 'Pod',
          apiVersion: 'v1',
          resource: 'pods',
          ...('namespace' in x ? { namespace: x.namespace } : {}),
          labelSelector: x.labelSelector,
          fieldSelector: '',
        }),
      );
    }
    for (const q of queries) if (q.watch < watchCount) this.bind(q);
  }

  dispatch(a: Action): void {
    this.store.dispatch(a);
    this.ref.apply(a);
  }

  bind(q: { id: string; watch: number }): void {
    const x = watches[q.watch]!;
    this.dispatch(
      actions.queryAdded({
        id: q.id,
        accumulator: 'model',
        name: q.id,
        kind: 'pods',
        ...('namespace' in x ? { namespace: x.namespace } : {}),
        labelSelector: x.labelSelector,
        fieldSelector: '',
      }),
    );
    this.dispatch(actions.queryBound({ id: q.id, groupKind: 'Pod', watchKey: x.key }));
    this.bound.push(q);
  }

  run(c: Command): void {
    if ('w' in c && c.w >= this.watchCount) return;
    const s = 'w' in c ? this.sims[c.w]! : undefined;
    const x = 'w' in c ? watches[c.w]! : undefined;
    switch (c.t) {
      case 'write':
        this.server.apply(c.slot, c.app);
        break;
      case 'delete':
        this.server.remove(c.slot);
        break;
      case 'clientWrite': {
        const object = this.server.apply(c.slot, c.app);
        this.respond(
          actions.localWrite({ groupKind: 'Pod', object, deleted: false, verb: 'update' }),
          c.deferred,
        );
        // Read your writes: at once in exactly the queries whose watch would deliver it.
        if (!c.deferred) {
          for (const q of this.bound) {
            const shown = this.shown(q.id).get(object.metadata!.uid!);
            expect(shown, `${q.id} after a write`).toBe(
              watches[q.watch]!.match(object) ? object.metadata!.resourceVersion : undefined,
            );
          }
        }
        break;
      }
      case 'clientDelete':
        this.clientDelete(c.slot, c.deferred, c.status);
        break;
      case 'clientBurst':
        // Go kates' coherence scenario: create, patch and delete in a row while the watches lag.
        for (const app of ['a', 'b'] as const) {
          const object = this.server.apply(c.slot, app);
          this.respond(
            actions.localWrite({ groupKind: 'Pod', object, deleted: false, verb: 'patch' }),
            false,
          );
        }
        this.clientDelete(c.slot, c.deferred, c.status);
        break;
      case 'respond':
        if (this.responses.length) this.answer(this.responses.splice(c.i % this.responses.length, 1)[0]!);
        break;
      case 'deliver': {
        if (!s!.listed || s!.listing) break;
        const events: actions.WatchEventPayload[] = [];
        const end = Math.min(this.server.history.length, s!.cursor + c.n);
        for (; s!.cursor < end; s!.cursor++) {
          const ev = SimulatedServer.eventOf(this.server.history[s!.cursor]!, x!.match);
          if (ev) events.push(ev);
        }
        if (events.length) {
          s!.delivered.push(...events);
          this.dispatch(actions.watchEvents({ key: x!.key, events }));
        }
        break;
      }
      case 'replay': {
        if (!s!.listed || s!.listing) break;
        const from = Math.max(0, s!.delivered.length - c.back);
        const events = s!.delivered.slice(from, from + c.n).map((e) => structuredClone(e));
        if (events.length) this.dispatch(actions.watchEvents({ key: x!.key, events }));
        break;
      }
      case 'bookmark': {
        if (!s!.listed || s!.listing) break;
        const at = Math.max(0, s!.cursor - c.back);
        const rv = at === 0 ? 90 : this.server.history[at - 1]!.rv;
        this.dispatch(
          actions.watchEvents({
            key: x!.key,
            events: [
              {
                type: 'BOOKMARK',
                object: { apiVersion: 'v1', kind: 'Pod', metadata: { resourceVersion: String(rv) } },
              },
            ],
          }),
        );
        break;
      }
      case 'relistStart': {
        if (s!.listing) break;
        const items = this.server.list(x!.match);
        const pages: KubernetesObject[][] = [];
        for (let i = 0; i < items.length; i += c.pageSize) pages.push(items.slice(i, i + c.pageSize));
        s!.listing = { rest: pages, rv: this.server.rv, cursor: this.server.history.length };
        this.dispatch(actions.listStarted({ key: x!.key }));
        const first = s!.listing.rest.shift();
        if (first) this.dispatch(actions.listPage({ key: x!.key, items: first }));
        break;
      }
      case 'relistFinish': {
        const l = s!.listing;
        if (!l) break;
        for (const items of l.rest) this.dispatch(actions.listPage({ key: x!.key, items }));
        this.dispatch(actions.listCompleted({ key: x!.key, resourceVersion: String(l.rv) }));
        s!.listing = undefined;
        s!.listed = true;
        s!.cursor = l.cursor;
        break;
      }
      case 'bindLate':
        if (late.watch < this.watchCount && !this.bound.some((q) => q.id === late.id)) this.bind(late);
        break;
    }
  }

  /**
   * A delete through the client. The API server answers most kinds with a `Status`: no
   * resourceVersion, the uid in `details` (also when the request named the object by reference);
   * the client then learns a version at least as new as the deletion from a consistent list, whose
   * answer may come late as well.
   */
  private clientDelete(slot: number, deferred: boolean, status: boolean): void {
    const object = this.server.remove(slot);
    if (!object) return;
    const answer = status
      ? {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: object.metadata!.name!,
            namespace: object.metadata!.namespace!,
            uid: object.metadata!.uid!,
          },
        }
      : object;
    this.respond(
      actions.localWrite({ groupKind: 'Pod', object: answer, deleted: true, verb: 'delete' }),
      deferred,
    );
    if (!deferred) {
      for (const q of this.bound)
        expect(this.shown(q.id).has(object.metadata!.uid!), `${q.id} after a delete`).toBe(false);
    }
  }

  private respond(a: Action, deferred: boolean): void {
    if (deferred) this.responses.push(a);
    else this.answer(a);
  }

  /** Dispatches to the store and the reference, and follows what the client does after a write. */
  private answer(a: Action): void {
    this.dispatch(a);
    if (actions.localWrite.match(a) && a.payload.deleted) {
      const uid = a.payload.object.metadata!.uid!;
      this.deletedByClient.add(uid);
      if (!a.payload.object.metadata?.resourceVersion) {
        // The consistent list the client sends after a Status-answered delete; its answer may be late too.
        this.responses.push(
          actions.deletionVersion({ groupKind: 'Pod', uids: [uid], resourceVersion: String(this.server.rv) }),
        );
      }
    }
  }

  /** UIDs the client has seen deleted: no query may show them again (UIDs are never reused). */
  private readonly deletedByClient = new Set<string>();

  /** Delivers everything: late responses, lists, every event, a bookmark at the server's version. */
  catchUp(): void {
    while (this.responses.length) this.run({ t: 'respond', i: 0 });
    this.sims.forEach((s, i) => {
      if (!s.listed && !s.listing) this.run({ t: 'relistStart', w: i, pageSize: 2 });
      this.run({ t: 'relistFinish', w: i });
      this.run({ t: 'deliver', w: i, n: this.server.history.length });
      this.run({ t: 'bookmark', w: i, back: 0 });
    });
  }

  /** uid -> resourceVersion of what query `id` shows. */
  shown(id: string): Map<string, string | undefined> {
    const items = this.selectors.selectQueryItems(id)(this.store.getState());
    return new Map(items.map((o) => [o.metadata!.uid!, o.metadata?.resourceVersion]));
  }

  /** The newest version each query has ever shown of each object: what it shows must never be older. */
  private readonly newestShown = new Map<string, number>();

  /** The store agrees with the reference, and keeps its own promises about identity and order. */
  check(): void {
    // A deletion through the client is final for its UID, whatever arrives after it.
    for (const q of this.bound) {
      for (const uid of this.shown(q.id).keys())
        expect(this.deletedByClient.has(uid), `${q.id} shows ${uid}, deleted by the client`).toBe(false);
    }
    const state = this.store.getState().kates;
    const stored = new Map<string, string>();
    forEachStored(state, (e, uid) => {
      stored.set(uid, versionOf(e));
    });
    expect(stored).toEqual(
      new Map([...this.ref.objects].map(([uid, o]) => [uid, o.metadata?.resourceVersion ?? ''])),
    );
    expect(new Set(Object.keys(pendingRecord(state)))).toEqual(new Set(this.ref.local.keys()));
    for (const q of this.bound) {
      const items = this.selectors.selectQueryItems(q.id)(this.store.getState());
      expect(
        items.map((o) => `${o.metadata?.uid}@${o.metadata?.resourceVersion}`),
        `query ${q.id}`,
      ).toEqual(this.ref.visible(q.id));
      // Held once: the very object of the store, whatever the query.
      for (const o of items) expect(o).toBe(objectOf(storedOf(state, o.metadata!.uid!)!));
      // The incremental sort equals a full one.
      expect(items).toEqual(buildSortedItems(state.queries[q.id]!.members));
      // A field whose members are the same objects keeps its identity.
      const last = this.lastItems.get(q.id);
      if (last && last.length === items.length && last.every((o, i) => o === items[i]))
        expect(items).toBe(last);
      this.lastItems.set(q.id, items);
      for (const o of items) {
        const k = `${q.id}/${o.metadata?.uid}`;
        const rv = Number(o.metadata?.resourceVersion);
        expect(rv, `${k} went back in time`).toBeGreaterThanOrEqual(this.newestShown.get(k) ?? 0);
        this.newestShown.set(k, rv);
      }
    }
  }

  /** Once everything is delivered, each query shows what the server holds, and nothing is pending. */
  checkConverged(): void {
    for (const q of this.bound) {
      const items = this.selectors.selectQueryItems(q.id)(this.store.getState());
      const expected = this.server
        .list(watches[q.watch]!.match)
        .map((o) => `${o.metadata?.uid}@${o.metadata?.resourceVersion}`);
      expect(
        items.map((o) => `${o.metadata?.uid}@${o.metadata?.resourceVersion}`).sort(),
        `converged ${q.id}`,
      ).toEqual(expected.sort());
    }
    expect(pendingRecord(this.store.getState().kates)).toEqual({});
  }
}

// KATES_MODEL_RUNS=5000 searches longer; KATES_MODEL_SEED and KATES_MODEL_PATH (from a failure's
// report) replay one counterexample.
const runs = Number(process.env.KATES_MODEL_RUNS ?? 400);

describe('the store against a reference model', () => {
  // About 10 ms a run on an idle core; the budget allows for a loaded machine.
  it('agrees with the reference after every command and converges to the server', {
    timeout: 60_000 + runs * 60,
  }, () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.integer({ min: 1, max: watches.length }),
        // Objects on the server before the first list, so that first lists are not empty.
        fc.array(fc.record({ slot, app: label }), { maxLength: 4 }),
        fc.array(command, { maxLength: 80, size: 'max' }),
        (listFirst, watchCount, seed, commands) => {
          const h = new Harness(watchCount);
          for (const { slot, app } of seed) h.run({ t: 'write', slot, app });
          h.check();
          if (listFirst) {
            for (let w = 0; w < watchCount; w++) {
              h.run({ t: 'relistStart', w, pageSize: 2 });
              h.run({ t: 'relistFinish', w });
            }
          }
          for (const c of commands) {
            h.run(c);
            h.check();
          }
          h.catchUp();
          h.check();
          h.checkConverged();
        },
      ),
      {
        numRuns: runs,
        ...(process.env.KATES_MODEL_SEED
          ? {
              seed: Number(process.env.KATES_MODEL_SEED),
              path: process.env.KATES_MODEL_PATH,
              endOnFailure: true,
            }
          : {}),
      },
    );
  });
});
