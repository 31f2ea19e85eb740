import type { UnknownAction } from '@reduxjs/toolkit';
import type { KubernetesObject } from '../model/object.js';
import { nameOf } from '../model/object.js';
import type { KatesState } from '../store/state.js';
import { forEachStored, objectCount, objectOf } from '../store/stored-object.js';
import { type Tree, treeForEach } from '../store/tree.js';
import { Redactor } from './redact.js';

const scrubber = new Redactor({});

/** How much of each map a DevTools message shows. */
export interface SanitizeOptions {
  /** Names shown per map or list (default 5). */
  readonly sample?: number;
}

/** A map or list, replaced by its size and a few names. */
export interface Sample {
  readonly count: number;
  readonly sample: readonly string[];
}

/** The size of a tree and the names of its first `n` entries: stops after `n`, whatever the size. */
function sampleTree<V>(tree: Tree<V>, n: number, name: (v: V, key: string) => string): Sample {
  const sample: string[] = [];
  if (n > 0) treeForEach(tree, (v, key) => sample.push(name(v, key)) < n);
  return { count: tree.size, sample };
}

/** How many objects the store holds, and the group-kind and name of the first `n`. */
function sampleObjects(state: KatesState, n: number): Sample {
  const sample: string[] = [];
  if (n > 0)
    forEachStored(
      state,
      (stored, _uid, groupKind) => sample.push(`${groupKind} ${nameOf(objectOf(stored))}`) < n,
    );
  return { count: objectCount(state), sample };
}

function sampleList(list: readonly KubernetesObject[], n: number): Sample {
  return { count: list.length, sample: list.slice(0, n).map((o) => `${o.kind ?? ''} ${nameOf(o)}`.trim()) };
}

/** An object as DevTools shows it: who it is, never what it holds (a Secret's data never leaves). */
export function describeObject(
  obj: KubernetesObject | undefined,
): Record<string, string | undefined> | undefined {
  if (!obj) return undefined;
  const m = obj.metadata;
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    namespace: m?.namespace,
    name: m?.name,
    uid: m?.uid,
    resourceVersion: m?.resourceVersion,
  };
}

/**
 * The kates slice as DevTools shows it: counts and a few names in place of the object maps, so
 * that a state of 100k objects costs a few kilobytes per message instead of freezing the monitor.
 * Reflector and query statuses are kept whole.
 */
export function summarizeKatesState(state: KatesState, options: SanitizeOptions = {}) {
  const n = options.sample ?? 5;
  const reflectors: Record<string, unknown> = {};
  for (const [key, r] of Object.entries(state.reflectors)) {
    const { held, relist, error, lastPoisonLine, ...rest } = r;
    reflectors[key] = {
      ...rest,
      held: held.size,
      ...(relist ? { relisting: relist.size } : {}),
      ...(error ? { error: { ...error, message: scrubber.text(error.message) } } : {}),
      ...(lastPoisonLine
        ? { lastPoisonLine: scrubber.poisonText(lastPoisonLine, r.groupKind === 'Secret') }
        : {}),
    };
  }
  const queries: Record<string, unknown> = {};
  for (const [id, q] of Object.entries(state.queries)) {
    const { members, error, ...rest } = q;
    queries[id] = {
      ...rest,
      members: sampleTree(members, n, (o) => nameOf(o)),
      ...(error ? { error: { ...error, message: scrubber.text(error.message) } } : {}),
    };
  }
  return {
    objects: sampleObjects(state, n),
    reflectors,
    queries,
    localPending: state.localPending.size,
    seq: state.seq,
  };
}

/**
 * Returns a DevTools action sanitizer: object lists become counts and samples, single objects
 * become their identity, texts lose credentials (as in recordings).
 */
export function createActionSanitizer(options: SanitizeOptions = {}) {
  const n = options.sample ?? 5;
  return <A extends UnknownAction>(action: A): A => {
    const clean = scrubber.action(action);
    const p = (clean as { payload?: Record<string, unknown> }).payload;
    if (!p || typeof p !== 'object') return clean;
    switch (clean.type) {
      case 'kates/listPage':
        return { ...clean, payload: { ...p, items: sampleList(p.items as KubernetesObject[], n) } };
      case 'kates/watchEvents': {
        const events = p.events as { type: string; object: KubernetesObject }[];
        return {
          ...clean,
          payload: {
            ...p,
            events: {
              count: events.length,
              sample: events.slice(0, n).map((e) => ({ type: e.type, object: describeObject(e.object) })),
            },
          },
        };
      }
      case 'kates/localWrite':
        return { ...clean, payload: { ...p, object: describeObject(p.object as KubernetesObject) } };
      default:
        return clean;
    }
  };
}

/**
 * Returns a DevTools state sanitizer for a root state: each value that is a kates slice is
 * summarized, other slices are left alone.
 */
export function createStateSanitizer(options: SanitizeOptions = {}) {
  return <S>(root: S): S => {
    if (!root || typeof root !== 'object') return root;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(root)) out[k] = isKatesState(v) ? summarizeKatesState(v, options) : v;
    return out as S;
  };
}

function isKatesState(v: unknown): v is KatesState {
  const s = v as KatesState | null;
  return (
    !!s &&
    typeof s === 'object' &&
    typeof s.seq === 'number' &&
    !!s.objects &&
    !!s.localPending &&
    'root' in s.localPending &&
    !!s.queries &&
    !!s.reflectors
  );
}
