import type { KubernetesObject } from '../model/object.js';
import { createKatesSelectors, type QueryStatus } from '../store/selectors.js';
import type { KatesState } from '../store/state.js';
import type { Recording } from './format.js';
import { type ReplayOptions, ReplaySession } from './replay.js';

/** What an accumulator's consumer saw at one step: its snapshot fields and their statuses. */
export interface ReplaySnapshot {
  /** The accumulator whose fields these are (`acc1`). */
  readonly accumulator: string;
  /** One sorted, frozen array per query name, as `Accumulator.update` fills them. */
  readonly snapshot: Readonly<Record<string, readonly KubernetesObject[]>>;
  readonly status: Readonly<Record<string, QueryStatus>>;
}

const selectors = createKatesSelectors((s: KatesState) => s);

/** The accumulators that have queries in `state`, with their query names. */
export function accumulatorsOf(state: KatesState): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const q of Object.values(state.queries)) {
    const names = out.get(q.accumulator) ?? [];
    names.push(q.name);
    out.set(q.accumulator, names);
  }
  return out;
}

/**
 * The snapshot of one accumulator in a state. With no accumulator named, the state must hold
 * exactly one.
 * @throws Error naming the accumulators there are when the choice is missing or wrong.
 */
export function snapshotOf(state: KatesState, accumulator?: string): ReplaySnapshot {
  const accs = accumulatorsOf(state);
  const list = () => [...accs].map(([a, names]) => `${a} (${names.join(', ')})`).join('; ') || 'none';
  const chosen = accumulator ?? (accs.size === 1 ? [...accs.keys()][0]! : undefined);
  if (chosen === undefined || !accs.has(chosen)) {
    throw new Error(
      accumulator === undefined
        ? `this step holds ${accs.size} accumulators (${list()}): name the one to snapshot`
        : `accumulator "${accumulator}" has no queries at this step; accumulators here: ${list()}`,
    );
  }
  const snapshot: Record<string, readonly KubernetesObject[]> = {};
  const status: Record<string, QueryStatus> = {};
  for (const name of accs.get(chosen)!) {
    const id = `${chosen}/${name}`;
    snapshot[name] = selectors.selectQueryItems(id)(state);
    const st = selectors.selectQueryStatus(id)(state);
    if (st) status[name] = st;
  }
  return { accumulator: chosen, snapshot: Object.freeze(snapshot), status: Object.freeze(status) };
}

/** Options of {@link replayReconcile}. */
export interface ReplayReconcileOptions extends ReplayOptions {
  /** The accumulator whose snapshot to pass (needed when the recording has several). */
  readonly accumulator?: string;
}

/**
 * Runs `reconcile` against the snapshot the recorded process saw at `step`: the way to turn a
 * captured bug into a unit test.
 *
 * ```ts
 * const plan = replayReconcile(recording, 42, ({ snapshot }) => planRoutes(snapshot.Services, snapshot.Endpoints));
 * expect(plan.errors).toEqual([]);
 * ```
 */
export function replayReconcile<R>(
  recording: Recording | string | ReplaySession,
  step: number,
  reconcile: (snapshot: ReplaySnapshot & { readonly step: number; readonly state: KatesState }) => R,
  options: ReplayReconcileOptions = {},
): R {
  const session = recording instanceof ReplaySession ? recording : new ReplaySession(recording, options);
  const state = session.stateAt(step);
  return reconcile({ ...snapshotOf(state, options.accumulator), step, state });
}
