import { deepEqual, isObject, type JsonObject } from './json.js';
import { listTypeAt } from './list-types.js';

/**
 * Field ownership (`metadata.managedFields`) as server-side apply keeps it. A field set is a
 * trie in the FieldsV1 form (`f:name`, `k:{"name":"c"}` for keyed list items, `v:"x"` for set
 * members); the fake stores leaves only, without the `.` self entries the apiserver adds for maps
 * an Update created, because it has no schema to tell maps from structs.
 */
export type FieldSet = Map<string, FieldSet>;

/** One `metadata.managedFields` entry. */
export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  /** Absent on entries the scale subresource writes into its parent, as the apiserver leaves them. */
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: JsonObject;
  subresource?: string;
}

/** Which part of an object a write may change: the main resource or its `status` subresource. */
export interface FieldScope {
  /** The write goes to `/status`: only `status` is owned. */
  readonly statusWrite: boolean;
  /** The kind has a status subresource, so main-resource writes do not own `status`. */
  readonly statusSubresource: boolean;
  /** Built-in kind (keyed lists known) or custom resource (lists atomic). */
  readonly builtin: boolean;
}

const TRACKED_METADATA = ['labels', 'annotations', 'finalizers', 'ownerReferences'];

/** The parts of an object whose fields are owned within a scope. */
export function ownedRoot(obj: JsonObject, scope: FieldScope): JsonObject {
  const root: JsonObject = {};
  if (scope.statusWrite) {
    if (obj.status !== undefined) root.status = obj.status;
    return root;
  }
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if (k === 'status' && scope.statusSubresource) continue;
    if (k === 'metadata') {
      const meta: JsonObject = {};
      for (const m of TRACKED_METADATA) if (isObject(v) && v[m] !== undefined) meta[m] = v[m];
      if (Object.keys(meta).length > 0) root.metadata = meta;
      continue;
    }
    root[k] = v;
  }
  return root;
}

function itemKey(keys: readonly string[], item: JsonObject): string {
  const key: JsonObject = {};
  for (const k of keys) if (item[k] !== undefined) key[k] = item[k];
  return `k:${JSON.stringify(key)}`;
}

function fieldsOfValue(value: unknown, path: string[], builtin: boolean, into: FieldSet): void {
  if (!isObject(value)) return;
  for (const [k, v] of Object.entries(value)) {
    const child: FieldSet = new Map();
    into.set(`f:${k}`, child);
    const childPath = [...path, k];
    if (Array.isArray(v)) {
      const type = listTypeAt(childPath, builtin);
      if (type.type === 'map') {
        for (const item of v) {
          if (!isObject(item)) continue;
          const itemSet: FieldSet = new Map();
          child.set(itemKey(type.keys, item), itemSet);
          fieldsOfValue(item, childPath, builtin, itemSet);
        }
      } else if (type.type === 'set') {
        for (const item of v) child.set(`v:${JSON.stringify(item)}`, new Map());
      }
    } else if (isObject(v)) fieldsOfValue(v, childPath, builtin, child);
  }
}

/** The leaf fields an object sets within a scope. */
export function fieldsOf(obj: JsonObject, scope: FieldScope): FieldSet {
  const set: FieldSet = new Map();
  fieldsOfValue(ownedRoot(obj, scope), [], scope.builtin, set);
  return set;
}

/** A field set as FieldsV1 JSON, keys sorted at every level. */
export function toFieldsV1(set: FieldSet): JsonObject {
  const out: JsonObject = {};
  if (set.size === 0) return out;
  if (set.size === 1) {
    for (const [k, v] of set) out[k] = toFieldsV1(v);
    return out;
  }
  const keys = [...set.keys()].sort((a, b) => (a < b ? -1 : 1));
  for (const k of keys) out[k] = toFieldsV1(set.get(k) as FieldSet);
  return out;
}

export function fromFieldsV1(json: unknown): FieldSet {
  const set: FieldSet = new Map();
  if (isObject(json)) for (const [k, v] of Object.entries(json)) if (k !== '.') set.set(k, fromFieldsV1(v));
  return set;
}

/** Every leaf path of a set. */
export function leafPaths(set: FieldSet, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [k, v] of set) {
    if (v.size === 0) out.push([...prefix, k]);
    else out.push(...leafPaths(v, [...prefix, k]));
  }
  return out;
}

function hasPath(set: FieldSet, path: readonly string[]): boolean {
  let node: FieldSet | undefined = set;
  for (const p of path) {
    node = node.get(p);
    if (!node) return false;
  }
  return true;
}

/** Removes `path` and what is below it; prunes parents left empty. */
export function removePath(set: FieldSet, path: readonly string[]): void {
  if (path.length === 0) return;
  const [head, ...rest] = path as [string, ...string[]];
  const child = set.get(head);
  if (!child) return;
  if (rest.length === 0) {
    set.delete(head);
    return;
  }
  if (child.size === 0) return;
  removePath(child, rest);
  if (child.size === 0) set.delete(head);
}

export function addPath(set: FieldSet, path: readonly string[]): void {
  let node = set;
  for (const p of path) {
    let next = node.get(p);
    if (!next) {
      next = new Map();
      node.set(p, next);
    }
    node = next;
  }
}

/**
 * Paths both sets reach where at least one of them ends (a leaf): the fields two managers both
 * claim. An atomic list one manager owns whole overlaps any field inside it another one sets.
 */
export function overlaps(a: FieldSet, b: FieldSet, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [k, av] of a) {
    const bv = b.get(k);
    if (!bv) continue;
    if (av.size === 0 || bv.size === 0) out.push([...prefix, k]);
    else out.push(...overlaps(av, bv, [...prefix, k]));
  }
  return out;
}

/** The value an object holds at a field path (undefined where it has none). */
export function valueAt(obj: unknown, path: readonly string[]): unknown {
  let current: unknown = obj;
  for (const p of path) {
    if (p.startsWith('f:')) current = isObject(current) ? current[p.slice(2)] : undefined;
    else if (p.startsWith('k:')) {
      const key = JSON.parse(p.slice(2)) as JsonObject;
      current = Array.isArray(current)
        ? current.find((item) => isObject(item) && Object.entries(key).every(([k, v]) => item[k] === v))
        : undefined;
    } else if (p.startsWith('v:')) {
      const v = JSON.parse(p.slice(2));
      current = Array.isArray(current) && current.some((x) => deepEqual(x, v)) ? v : undefined;
    } else return undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

/**
 * `.spec.containers[name="c"].image`: how the apiserver names a field in a conflict. Besides the
 * FieldsV1 elements, `i:0` stands for a list index (an item of an atomic list).
 */
export function formatPath(path: readonly string[]): string {
  return path
    .map((p) => {
      if (p.startsWith('f:')) return `.${p.slice(2)}`;
      if (p.startsWith('k:')) {
        const key = JSON.parse(p.slice(2)) as JsonObject;
        return `[${Object.entries(key)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(',')}]`;
      }
      if (p.startsWith('i:')) return `[${p.slice(2)}]`;
      return `[=${p.slice(2)}]`;
    })
    .join('');
}

/** Removes the value at a field path from an object (mutating it); keyed list items go whole. */
export function deleteAt(obj: unknown, path: readonly string[]): void {
  if (path.length === 0) return;
  const parent = valueAt(obj, path.slice(0, -1));
  const last = path[path.length - 1] as string;
  if (last.startsWith('f:') && isObject(parent)) delete parent[last.slice(2)];
  else if (Array.isArray(parent)) {
    const target = valueAt(obj, path);
    const i = parent.findIndex((x) => x === target || deepEqual(x, target));
    if (i >= 0) parent.splice(i, 1);
  }
}

export function entrySet(e: ManagedFieldsEntry): FieldSet {
  return fromFieldsV1(e.fieldsV1);
}

/** Whether an entry belongs to the same manager, operation and subresource. */
export function sameOwner(
  e: ManagedFieldsEntry,
  manager: string,
  operation: 'Apply' | 'Update',
  subresource?: string,
): boolean {
  return e.manager === manager && e.operation === operation && (e.subresource ?? '') === (subresource ?? '');
}

export interface UpdateOwnership {
  readonly manager: string;
  readonly apiVersion: string;
  readonly time: string;
  readonly subresource?: string;
}

/**
 * managedFields after a non-apply write (create, update, patch): the writer takes the fields it
 * added or changed, other managers lose them, and fields the write removed are owned by no one.
 */
export function trackUpdate(
  entries: readonly ManagedFieldsEntry[],
  old: JsonObject | undefined,
  next: JsonObject,
  scope: FieldScope,
  who: UpdateOwnership,
): ManagedFieldsEntry[] {
  const nextSet = fieldsOf(next, scope);
  const [oldRoot, nextRoot] = [old ? ownedRoot(old, scope) : undefined, ownedRoot(next, scope)];
  const changed = leafPaths(nextSet).filter(
    (p) => !oldRoot || !deepEqual(valueAt(oldRoot, p), valueAt(nextRoot, p)),
  );
  const removed = old ? leafPaths(fieldsOf(old, scope)).filter((p) => !hasPath(nextSet, p)) : [];
  const result: ManagedFieldsEntry[] = [];
  let mine: FieldSet | undefined;
  for (const e of entries) {
    const set = entrySet(e);
    for (const p of removed) removePath(set, p);
    if (sameOwner(e, who.manager, 'Update', who.subresource)) {
      mine = set;
      continue;
    }
    const before = set.size === 0 ? 0 : leafPaths(set).length;
    for (const p of changed) removePath(set, p);
    if (set.size === 0) continue;
    result.push(
      leafPaths(set).length === before
        ? { ...e, fieldsV1: toFieldsV1(set) }
        : { ...e, time: who.time, fieldsV1: toFieldsV1(set) },
    );
  }
  if (changed.length === 0 && !mine) return sortManagedFields(result);
  mine ??= new Map();
  for (const p of changed) addPath(mine, p);
  const previous = entries.find((e) => sameOwner(e, who.manager, 'Update', who.subresource));
  const time = changed.length > 0 || !previous ? who.time : previous.time;
  const entry: ManagedFieldsEntry = {
    manager: who.manager,
    operation: 'Update',
    apiVersion: who.apiVersion,
    ...(time ? { time } : {}),
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(mine),
  };
  if (who.subresource) entry.subresource = who.subresource;
  if (mine.size > 0) result.push(entry);
  return sortManagedFields(result);
}

/**
 * The apiserver's order of managedFields: Apply entries first, then by time (seconds), manager,
 * apiVersion and subresource.
 */
export function sortManagedFields(entries: ManagedFieldsEntry[]): ManagedFieldsEntry[] {
  // An entry without a time sorts as the zero time, first.
  const seconds = (e: ManagedFieldsEntry) => (e.time ? Math.floor(Date.parse(e.time) / 1000) : 0);
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return entries.sort((p, q) => {
    if (p.operation !== q.operation) return p.operation === 'Apply' ? -1 : 1;
    return (
      seconds(p) - seconds(q) ||
      cmp(p.manager, q.manager) ||
      cmp(p.apiVersion, q.apiVersion) ||
      cmp(p.subresource ?? '', q.subresource ?? '')
    );
  });
}
