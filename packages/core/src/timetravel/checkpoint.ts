import type { KubernetesObject } from '../model/object.js';
import { deepFreeze } from '../store/freeze.js';
import { EMPTY_LIST, type ListInProgress, withPage } from '../store/list-in-progress.js';
import { initialKatesState } from '../store/reducer.js';
import type { KatesState, LocalWrite, QueryState, ReflectorState, StoredObject } from '../store/state.js';
import { forEachStored, localOf, objectOf, storedOf } from '../store/stored-object.js';
import { emptyTree, type Tree, TreeEditor, treeForEach } from '../store/tree.js';
import type { Redactor } from './redact.js';

/**
 * A kates state written as lines, at the start of every recording segment, so that each segment
 * replays alone (a rotated file starts in the middle of a session). One line per object keeps every
 * line small whatever the size of the cluster. Objects are written redacted.
 */
export type CheckpointLine =
  | { readonly checkpoint: 'object'; readonly uid: string; readonly entry: SerializedEntry }
  | { readonly checkpoint: 'reflector'; readonly reflector: SerializedReflector }
  | { readonly checkpoint: 'relist'; readonly key: string; readonly items: KubernetesObject[] }
  | { readonly checkpoint: 'query'; readonly query: SerializedQuery }
  | {
      readonly checkpoint: 'store';
      readonly seq: number;
      readonly localPending: Readonly<Record<string, string>>;
    };

/**
 * An object as a checkpoint writes it: with its group-kind and its pending write, if any. Lines
 * written before issue 18 also carry the entry's `resourceVersion` and `arrival`; they are read,
 * and those two ignored.
 */
export interface SerializedEntry {
  readonly object: KubernetesObject;
  readonly groupKind: string;
  readonly local?: LocalWrite;
}

/** A reflector with its held set as a list of UIDs; its pending relist goes in `relist` lines. */
export type SerializedReflector = Omit<ReflectorState, 'held' | 'relist'> & {
  readonly held: string[];
  readonly relisting: boolean;
};
/**
 * A query with its members as UIDs of stored objects, and `own` members: objects that are not the
 * stored object of their UID (possible for a query whose watch was removed).
 */
export type SerializedQuery = Omit<QueryState, 'members'> & {
  readonly members: string[];
  readonly own: KubernetesObject[];
};

const RELIST_CHUNK = 500;

/** The lines of a checkpoint of `state`, objects redacted. */
export function checkpointLines(state: KatesState, redactor: Redactor): CheckpointLine[] {
  const localPending: Record<string, string> = {};
  treeForEach(state.localPending, ({ groupKind }, uid) => {
    // Its resourceVersion is the object's own `local.resourceVersion`, restored from there.
    localPending[uid] = groupKind;
  });
  const lines: CheckpointLine[] = [{ checkpoint: 'store', seq: state.seq, localPending }];
  forEachStored(state, (stored, uid, groupKind) => {
    const object = redactor.object(objectOf(stored), groupKind === 'Secret');
    const local = localOf(stored);
    lines.push({
      checkpoint: 'object',
      uid,
      entry: local ? { object, groupKind, local } : { object, groupKind },
    });
  });
  for (const key of Object.keys(state.reflectors)) {
    const { held, relist, ...rest } = state.reflectors[key]!;
    const uids: string[] = [];
    treeForEach(held, (_v, uid) => uids.push(uid));
    lines.push({
      checkpoint: 'reflector',
      reflector: { ...rest, held: uids, relisting: relist !== undefined },
    });
    if (relist) {
      let chunk: KubernetesObject[] = [];
      for (const page of relist.pages) {
        for (const obj of page.values) {
          chunk.push(redactor.object(obj, rest.groupKind === 'Secret'));
          if (chunk.length >= RELIST_CHUNK) {
            lines.push({ checkpoint: 'relist', key, items: chunk });
            chunk = [];
          }
        }
      }
      if (chunk.length) lines.push({ checkpoint: 'relist', key, items: chunk });
    }
  }
  for (const id of Object.keys(state.queries)) {
    const { members, ...rest } = state.queries[id]!;
    const uids: string[] = [];
    const own: KubernetesObject[] = [];
    treeForEach(members, (obj, uid) => {
      const stored = storedOf(state, uid, rest.groupKind);
      if (stored && objectOf(stored) === obj) uids.push(uid);
      else own.push(redactor.object(obj, rest.groupKind === 'Secret'));
    });
    lines.push({ checkpoint: 'query', query: { ...rest, members: uids, own } });
  }
  return lines;
}

/**
 * Rebuilds a kates state from checkpoint lines, with the structure the reducer builds: frozen
 * objects, persistent trees, and query members that are the very stored objects.
 * @throws Error naming the line that refers to something the checkpoint does not hold.
 */
export function stateFromCheckpoint(lines: readonly CheckpointLine[]): KatesState {
  let seq = initialKatesState.seq;
  let pendingKinds: Readonly<Record<string, string>> = {};
  const objects = new Map<string, TreeEditor<StoredObject>>();
  const reflectors: Record<string, ReflectorState> = {};
  const relists = new Map<string, ListInProgress>();
  const queries: Record<string, QueryState> = {};
  const pendingQueries: SerializedQuery[] = [];
  for (const line of lines) {
    switch (line.checkpoint) {
      case 'store':
        seq = line.seq;
        pendingKinds = line.localPending;
        break;
      case 'object': {
        const { object, groupKind, local } = line.entry;
        // The store tells an object from an entry by its metadata (`isEntry`).
        if (typeof object?.metadata !== 'object' || object.metadata === null)
          throw new Error(`checkpoint: the object line of uid ${line.uid} holds no object with metadata`);
        const frozen = deepFreeze(object);
        let kind = objects.get(groupKind);
        if (!kind) {
          kind = new TreeEditor(emptyTree<StoredObject>());
          objects.set(groupKind, kind);
        }
        kind.set(line.uid, local ? Object.freeze({ object: frozen, local }) : frozen);
        break;
      }
      case 'reflector': {
        const { held, relisting, ...rest } = line.reflector;
        const tree = new TreeEditor(emptyTree<true>());
        for (const uid of held) tree.set(uid, true);
        reflectors[rest.key] = { ...rest, held: tree.finish() };
        if (relisting) relists.set(rest.key, EMPTY_LIST);
        break;
      }
      case 'relist': {
        const list = relists.get(line.key);
        if (!list)
          throw new Error(`checkpoint: relist items for watch "${line.key}" come before its reflector line`);
        relists.set(line.key, withPage(list, line.items.map(deepFreeze), reflectors[line.key]!));
        break;
      }
      case 'query':
        pendingQueries.push(line.query);
        break;
      default:
        throw new Error(
          `checkpoint: unknown line kind ${JSON.stringify((line as { checkpoint?: unknown }).checkpoint)}`,
        );
    }
  }
  for (const [key, list] of relists) reflectors[key] = { ...reflectors[key]!, relist: list };
  const objectTrees: Record<string, Tree<StoredObject>> = {};
  for (const [groupKind, editor] of objects) objectTrees[groupKind] = editor.finish();
  const state: KatesState = { ...initialKatesState, objects: objectTrees };
  for (const { members, own, ...rest } of pendingQueries) {
    const tree = new TreeEditor(emptyTree<KubernetesObject>());
    for (const uid of members) {
      const stored = storedOf(state, uid, rest.groupKind);
      if (!stored)
        throw new Error(`checkpoint: query "${rest.id}" holds uid ${uid}, which no object line holds`);
      tree.set(uid, objectOf(stored));
    }
    for (const obj of own) tree.set(obj.metadata!.uid!, deepFreeze(obj));
    queries[rest.id] = { ...rest, members: tree.finish() };
  }
  const localPending = new TreeEditor(initialKatesState.localPending);
  for (const [uid, groupKind] of Object.entries(pendingKinds)) {
    const local = localOf(storedOf(state, uid, groupKind));
    if (!local) throw new Error(`checkpoint: uid ${uid} has a pending write, but no object line holds one`);
    localPending.set(uid, Object.freeze({ groupKind, resourceVersion: local.resourceVersion }));
  }
  return { objects: objectTrees, reflectors, queries, localPending: localPending.finish(), seq };
}
