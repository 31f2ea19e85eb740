import type { KatesState, KubernetesObject, Tree } from '@kates/core/browser';
import { createActionSanitizer, nameOf } from '@kates/core/browser';
import type { UnknownAction } from '@reduxjs/toolkit';

/** Options of {@link katesDevTools}. */
export interface KatesDevToolsOptions {
  /** The instance name shown in Redux DevTools. */
  readonly name?: string;
  /** How many objects of each tree or batch stay visible (default 3). */
  readonly samples?: number;
  /** Actions kept in the DevTools history (default 50). */
  readonly maxAge?: number;
  /** Where the kates slice sits in the root state (default `root.kates`). */
  readonly sliceKey?: string;
}

/** A large collection as DevTools shows it: how many, and a few of them by name. */
export interface Summary {
  readonly count: number;
  readonly sample: readonly string[];
}

/** The first `n` values of a tree, without walking the rest. */
function firstValues<V>(tree: Tree<V>, n: number): V[] {
  const out: V[] = [];
  if (n <= 0) return out;
  for (const middle of tree.root) {
    for (const leaf of middle ?? []) {
      for (const key in leaf) {
        out.push(leaf[key] as V);
        if (out.length >= n) return out;
      }
    }
  }
  return out;
}

function labelOf(obj: KubernetesObject | undefined): string {
  return obj ? `${obj.kind ?? '?'} ${nameOf(obj)}@${obj.metadata?.resourceVersion ?? ''}` : '?';
}

function summarizeObjects(objects: readonly KubernetesObject[], total: number, samples: number): Summary {
  return { count: total, sample: objects.slice(0, samples).map(labelOf) };
}

const sanitizedSlices = new WeakMap<KatesState, unknown>();

/**
 * The kates slice as DevTools should see it: every object tree replaced by its size and a few
 * names. Serializing 10k objects on each action would freeze the extension (and the page). Cached
 * per state, and costs the number of reflectors and queries, not of objects.
 */
export function sanitizeKatesState(state: KatesState, samples = 3): unknown {
  const cached = sanitizedSlices.get(state);
  if (cached) return cached;
  const reflectors: Record<string, unknown> = {};
  for (const [key, r] of Object.entries(state.reflectors)) {
    const { held, relist, ...rest } = r;
    reflectors[key] = {
      ...rest,
      held: { count: held.size },
      ...(relist ? { relist: summarizeObjects(firstValues(relist, samples), relist.size, samples) } : {}),
    };
  }
  const queries: Record<string, unknown> = {};
  for (const [id, q] of Object.entries(state.queries)) {
    queries[id] = {
      ...q,
      members: summarizeObjects(firstValues(q.members, samples), q.members.size, samples),
    };
  }
  const localPending = Object.keys(state.localPending);
  const out = {
    objects: summarizeObjects(
      firstValues(state.objects, samples).map((e) => e.object),
      state.objects.size,
      samples,
    ),
    reflectors,
    queries,
    localPending:
      localPending.length > 20
        ? { count: localPending.length, sample: localPending.slice(0, samples) }
        : state.localPending,
    seq: state.seq,
  };
  sanitizedSlices.set(state, out);
  return out;
}

/**
 * A kates action as DevTools should see it: core's sanitizer (batches become counts and
 * samples, local writes their identity, credentials scrubbed from texts), so the extension
 * never receives a Secret's data.
 */
export function sanitizeKatesAction<A extends { type: string; payload?: unknown }>(
  action: A,
  samples = 3,
): A {
  return createActionSanitizer({ sample: samples })(action as A & UnknownAction) as A;
}

/**
 * Redux DevTools options for a kates store (`createKatesStore({ devTools: katesDevTools() })`):
 * sanitizers that keep large states from freezing the extension, and a bounded history.
 * @public
 */
export function katesDevTools(options: KatesDevToolsOptions = {}): Record<string, unknown> {
  const samples = options.samples ?? 3;
  const sliceKey = options.sliceKey ?? 'kates';
  return {
    name: options.name ?? 'kates',
    maxAge: options.maxAge ?? 50,
    // Stack traces per action cost more than the action at 100 events/s.
    trace: false,
    actionSanitizer: (action: { type: string; payload?: unknown }) => sanitizeKatesAction(action, samples),
    stateSanitizer: (root: Record<string, unknown>) => {
      const slice = root?.[sliceKey] as KatesState | undefined;
      return slice && typeof slice === 'object' && 'objects' in slice
        ? { ...root, [sliceKey]: sanitizeKatesState(slice, samples) }
        : root;
    },
  };
}
