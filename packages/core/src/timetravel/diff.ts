import type { KubernetesObject } from '../model/object.js';
import { type QueryStatus, queryStatusOf } from '../store/selectors.js';
import type { KatesState } from '../store/state.js';
import { diffTrees, emptyTree } from '../store/tree.js';

/** How one query's field and status changed between two states. */
export interface QueryDiff {
  readonly id: string;
  readonly accumulator: string;
  readonly name: string;
  readonly added: readonly KubernetesObject[];
  readonly removed: readonly KubernetesObject[];
  readonly updated: readonly { readonly before: KubernetesObject; readonly after: KubernetesObject }[];
  /** Undefined where the query does not exist. */
  readonly statusBefore?: QueryStatus;
  readonly statusAfter?: QueryStatus;
  readonly statusChanged: boolean;
}

function sameStatus(a: QueryStatus | undefined, b: QueryStatus | undefined): boolean {
  return (
    a?.phase === b?.phase &&
    a?.synced === b?.synced &&
    a?.resourceVersion === b?.resourceVersion &&
    a?.error?.message === b?.error?.message &&
    a?.count === b?.count
  );
}

/**
 * The changes of each query between two states (only queries that changed). The cost follows the
 * number of changes: unchanged parts of the persistent trees are skipped by identity.
 */
export function diffStates(before: KatesState, after: KatesState): QueryDiff[] {
  const out: QueryDiff[] = [];
  const ids = [...new Set([...Object.keys(before.queries), ...Object.keys(after.queries)])].sort();
  for (const id of ids) {
    const qa = before.queries[id];
    const qb = after.queries[id];
    const q = (qb ?? qa)!;
    const statusBefore = qa && queryStatusOf(qa, qa.watchKey ? before.reflectors[qa.watchKey] : undefined);
    const statusAfter = qb && queryStatusOf(qb, qb.watchKey ? after.reflectors[qb.watchKey] : undefined);
    const added: KubernetesObject[] = [];
    const removed: KubernetesObject[] = [];
    const updated: { before: KubernetesObject; after: KubernetesObject }[] = [];
    diffTrees(qa?.members ?? emptyTree(), qb?.members ?? emptyTree(), (_uid, was, now) => {
      if (was && now) updated.push({ before: was, after: now });
      else if (now) added.push(now);
      else if (was) removed.push(was);
    });
    const statusChanged = !sameStatus(statusBefore, statusAfter);
    if (!added.length && !removed.length && !updated.length && !statusChanged) continue;
    out.push({
      id,
      accumulator: q.accumulator,
      name: q.name,
      added,
      removed,
      updated,
      ...(statusBefore ? { statusBefore } : {}),
      ...(statusAfter ? { statusAfter } : {}),
      statusChanged,
    });
  }
  return out;
}

/** One changed value inside an object. */
export interface FieldChange {
  /** `spec.ports[0].port` */
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** The changed leaf values between two versions of an object (at most `limit`). */
export function diffObjects(before: unknown, after: unknown, limit = 200): FieldChange[] {
  const out: FieldChange[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    if (out.length >= limit || a === b) return;
    const objA = a !== null && typeof a === 'object';
    const objB = b !== null && typeof b === 'object';
    if (!objA || !objB || Array.isArray(a) !== Array.isArray(b)) {
      if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path: path || '.', before: a, after: b });
      return;
    }
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
    for (const k of keys) {
      const p = Array.isArray(a)
        ? `${path}[${k}]`
        : /^[A-Za-z_$][\w$]*$/.test(k)
          ? path
            ? `${path}.${k}`
            : k
          : `${path}['${k}']`;
      walk(ra[k], rb[k], p);
    }
  };
  walk(before, after, '');
  return out;
}
