import {
  accumulatorsOf,
  type ConfigMap,
  diffObjects,
  diffStates,
  type ReplaySession,
  readRecordingFile,
  replay,
  replayReconcile,
} from '@kates/core';
import { type Plan, plan } from './controller.js';

/** The first step at which `reconcile` plans a summary with a total that is not a number. */
export function firstBadStep(session: ReplaySession, reconcile: typeof plan = plan): number | undefined {
  for (let step = session.first; step <= session.last; step++) {
    // Before the controller's queries are added, and after they are removed, there is nothing to plan.
    if (accumulatorsOf(session.stateAt(step)).size === 0) continue;
    const planned: Plan = replayReconcile(session, step, ({ snapshot }) =>
      reconcile((snapshot.ConfigMaps ?? []) as readonly ConfigMap[]),
    );
    if (Number.isNaN(planned.replicas)) return step;
  }
  return undefined;
}

/** Replays the recording at `path`, steps to the moment the bug happened, and says what led there. */
export function findBug(path: string): { step: number; report: string } | undefined {
  const session = replay(readRecordingFile(path));
  session.verifyAll();
  const step = firstBadStep(session);
  if (step === undefined) return undefined;
  session.seek(step);
  const recorded = session.actionAt(step)!;
  const lines = [`step ${step} of ${session.last}: +${recorded.t} ms, ${recorded.action.type}`];
  for (const d of diffStates(session.stateAt(step - 1), session.state)) {
    for (const { before, after } of d.updated) {
      // Server bookkeeping (resourceVersion, managedFields) changes with every write: show the rest.
      for (const c of diffObjects(before, after).filter((c) => !c.path.startsWith('metadata.'))) {
        lines.push(
          `  ${d.name}: ${after.metadata?.namespace}/${after.metadata?.name} ${c.path}: ` +
            `${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}`,
        );
      }
    }
    for (const o of d.added) lines.push(`  ${d.name}: added ${o.metadata?.namespace}/${o.metadata?.name}`);
  }
  return { step, report: lines.join('\n') };
}
