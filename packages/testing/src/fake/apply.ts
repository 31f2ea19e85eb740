import { parse as parseYaml } from 'yaml';
import { clone, deepEqual, isObject, type JsonObject } from './json.js';
import { listTypeAt, sameListItem } from './list-types.js';
import {
  deleteAt,
  entrySet,
  type FieldScope,
  type FieldSet,
  fieldsOf,
  formatPath,
  type ManagedFieldsEntry,
  overlaps,
  ownedRoot,
  removePath,
  sameOwner,
  sortManagedFields,
  toFieldsV1,
  valueAt,
} from './managed-fields.js';
import { errors, field, type StatusCause } from './status.js';

/** One server-side apply request, resolved against the object it applies to. */
export interface ApplyRequest {
  /** The stored object, or undefined when apply creates it. */
  readonly live: JsonObject | undefined;
  /** The applied configuration (YAML or JSON body), already parsed. */
  readonly config: JsonObject;
  readonly manager: string;
  readonly force: boolean;
  readonly apiVersion: string;
  readonly time: string;
  readonly scope: FieldScope;
  readonly subresource?: string;
}

/** The object after apply and its new managedFields. */
export interface ApplyResult {
  readonly object: JsonObject;
  readonly managedFields: ManagedFieldsEntry[];
}

/** Merges an applied configuration into the live object: maps deep, keyed lists by key, the rest replaced. */
function mergeApplied(live: unknown, config: unknown, path: string[], builtin: boolean): unknown {
  if (isObject(config)) {
    const result: JsonObject = isObject(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(config)) {
      if (v === null) delete result[k];
      else result[k] = mergeApplied(result[k], v, [...path, k], builtin);
    }
    return result;
  }
  if (Array.isArray(config)) {
    const type = listTypeAt(path, builtin);
    if (type.type === 'atomic' || !Array.isArray(live)) return clone(config);
    const result = [...live];
    for (const item of config) {
      if (type.type === 'set') {
        if (!result.some((x) => deepEqual(x, item))) result.push(clone(item));
        continue;
      }
      const at = result.findIndex((x) => sameListItem(type, x, item));
      if (at >= 0) result[at] = mergeApplied(result[at], item, path, builtin);
      else result.push(clone(item));
    }
    return result;
  }
  return clone(config);
}

/**
 * Removes the fields a manager applied before and no longer applies, unless another manager
 * owns them (server-side apply's "remove what you stopped declaring").
 */
function pruneDropped(
  object: JsonObject,
  previous: FieldSet,
  applied: FieldSet,
  others: FieldSet[],
  prefix: string[],
): void {
  for (const [k, prevChild] of previous) {
    const path = [...prefix, k];
    const appliedChild = applied.get(k);
    const ownedElsewhere = others.some((o) => ownsAnythingAt(o, path));
    if (!appliedChild) {
      if (!ownedElsewhere) deleteAt(object, path);
      else if (prevChild.size > 0) pruneDropped(object, prevChild, new Map(), others, path);
    } else if (prevChild.size > 0 && appliedChild.size > 0)
      pruneDropped(object, prevChild, appliedChild, others, path);
  }
}

/** Whether a set owns the field at `path`, something inside it, or an atomic value around it. */
function ownsAnythingAt(set: FieldSet, path: readonly string[]): boolean {
  let node: FieldSet | undefined = set;
  for (const p of path) {
    node = node.get(p);
    if (!node) return false;
    if (node.size === 0) return true;
  }
  return true;
}

/** The 409 message and causes of apply conflicts, naming each manager as the apiserver does. */
export function conflictMessage(
  conflicts: { entry: ManagedFieldsEntry; path: string[] }[],
): [string, StatusCause[]] {
  const who = (e: ManagedFieldsEntry) =>
    `"${e.manager}"${e.subresource ? ` with subresource "${e.subresource}"` : ''}` +
    `${e.operation === 'Update' ? ` using ${e.apiVersion}` : ''}`;
  const groups = new Map<ManagedFieldsEntry, string[]>();
  for (const c of conflicts) groups.set(c.entry, [...(groups.get(c.entry) ?? []), formatPath(c.path)]);
  const n = conflicts.length;
  const text =
    n === 1
      ? `Apply failed with 1 conflict: conflict with ${who(conflicts[0]!.entry)}: ${formatPath(conflicts[0]!.path)}`
      : `Apply failed with ${n} conflicts: ${[...groups]
          .map(([e, paths]) => `conflicts with ${who(e)}:\n${paths.map((p) => `- ${p}`).join('\n')}`)
          .join('\n')}`;
  const causes = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${who(c.entry)}`,
    field: formatPath(c.path),
  }));
  return [text, causes];
}

/**
 * Server-side apply (`application/apply-patch+yaml`) for the common cases: the configuration
 * merges into the live object; fields another manager owns with a different value are
 * conflicts (409, listing them as the apiserver does) unless `force`, which takes them over;
 * fields this manager applied before and dropped now are removed unless someone else owns them.
 */
export function serverSideApply(req: ApplyRequest): ApplyResult {
  const { live, config, scope } = req;
  const scoped = scope.statusWrite ? { status: config.status } : config;
  const base: JsonObject = live ? clone(live) : {};
  const merged = mergeApplied(
    base,
    ownedRoot(scoped, { ...scope, statusSubresource: scope.statusSubresource }),
    [],
    scope.builtin,
  ) as JsonObject;
  const applied = fieldsOf(scoped, scope);
  const entries =
    (live?.metadata as { managedFields?: ManagedFieldsEntry[] } | undefined)?.managedFields ?? [];
  const liveRoot = live ? ownedRoot(live, scope) : {};
  const mergedRoot = ownedRoot(merged, scope);
  const conflicts: { entry: ManagedFieldsEntry; path: string[] }[] = [];
  const sets = new Map<ManagedFieldsEntry, FieldSet>();
  for (const e of entries) {
    if (sameOwner(e, req.manager, 'Apply', req.subresource)) continue;
    const set = entrySet(e);
    sets.set(e, set);
    for (const p of overlaps(applied, set)) {
      if (!deepEqual(valueAt(liveRoot, p), valueAt(mergedRoot, p))) conflicts.push({ entry: e, path: p });
    }
  }
  if (conflicts.length > 0 && !req.force) {
    const [message, causes] = conflictMessage(conflicts);
    throw errors.applyConflict(message, causes);
  }
  for (const c of conflicts) removePath(sets.get(c.entry) as FieldSet, c.path);
  const previous = entries.find((e) => sameOwner(e, req.manager, 'Apply', req.subresource));
  if (previous) pruneDropped(merged, entrySet(previous), applied, [...sets.values()], []);
  const mine: ManagedFieldsEntry = {
    manager: req.manager,
    operation: 'Apply',
    apiVersion: req.apiVersion,
    time: req.time,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(applied),
  };
  if (req.subresource) mine.subresource = req.subresource;
  const managedFields: ManagedFieldsEntry[] = [];
  for (const e of entries) {
    if (e === previous) managedFields.push(mine);
    else {
      const set = sets.get(e) as FieldSet;
      // A manager that lost fields to force changed now, as the apiserver records it.
      if (set.size > 0) {
        managedFields.push(
          conflicts.some((c) => c.entry === e) ? { ...e, time: req.time, fieldsV1: toFieldsV1(set) } : e,
        );
      }
    }
  }
  if (!previous) managedFields.push(mine);
  return { object: merged, managedFields: sortManagedFields(managedFields) };
}

/**
 * Reads the body of a server-side apply as the API server does before anything else: a field
 * manager is required (the User-Agent default of other writes does not count), and the body is
 * YAML (JSON included) holding `apiVersion` and `kind` as `expected` says.
 */
export function readApplyPatch(
  text: string,
  opts: { readonly manager?: string; readonly fieldManagerParam?: string },
  expected: { readonly apiVersion: string; readonly kind: string; readonly what: string },
): JsonObject {
  if (opts.fieldManagerParam === '' || !opts.manager) {
    throw errors.invalidOptions(
      'PatchOptions',
      field.required('fieldManager', 'is required for apply patch'),
    );
  }
  let config: unknown;
  try {
    config = parseYaml(text);
  } catch (e) {
    throw errors.badRequest(`error decoding YAML: ${(e as Error).message}`);
  }
  if (!isObject(config)) throw errors.badRequest('the apply patch must be a YAML or JSON object');
  if (config.apiVersion !== expected.apiVersion || config.kind !== expected.kind) {
    throw errors.badRequest(
      `the apply patch is for ${String(config.apiVersion)}, Kind=${String(config.kind)}; ` +
        `${expected.what} needs apiVersion: ${expected.apiVersion} and kind: ${expected.kind}`,
    );
  }
  return config;
}
