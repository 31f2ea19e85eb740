import type { KatesState } from '@kates/core/browser';
import { createActionSanitizer, summarizeKatesState } from '@kates/core/browser';
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

const sanitizedSlices = new WeakMap<KatesState, unknown>();

/**
 * The kates slice as DevTools should see it: core's summary (every object tree replaced by its
 * size and a few names, error texts without credentials). Serializing 10k objects on each action
 * would freeze the extension (and the page). Cached per state, and costs the number of reflectors
 * and queries, not of objects.
 */
export function sanitizeKatesState(state: KatesState, samples = 3): unknown {
  const cached = sanitizedSlices.get(state);
  if (cached) return cached;
  const out = summarizeKatesState(state, { sample: samples });
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
