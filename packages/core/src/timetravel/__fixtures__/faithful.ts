import { expect } from 'vitest';
import { parseRecording } from '../parse.js';
import { replay } from '../replay.js';
import { type RecordedSession, SESSION_SECRETS } from './controller-session.js';
import { visible } from './visible.js';

/** Checks a recorded session: every step replays into what the live store had, and nothing leaked. */
export function expectFaithfulReplay(
  session: RecordedSession,
  text: string,
  credentials: readonly string[],
): void {
  const recording = parseRecording(text);
  expect(recording.actions.length).toBe(session.live.length - 1);
  const types = new Set(recording.actions.map((r) => r.action.type));
  for (const t of [
    'kates/listPage',
    'kates/watchEvents',
    'kates/localWrite',
    'kates/listCompleted',
    'kates/queryFailed',
  ])
    expect(types, t).toContain(t);
  const statuses = recording.actions
    .filter((r) => r.action.type === 'kates/reflectorStatus')
    .map((r) => (r.action.payload as { phase: string }).phase);
  expect(statuses).toContain('relisting');
  expect(statuses).toContain('backing-off');
  const replayed = replay(recording);
  expect(replayed.verifyAll().mismatches).toEqual([]);
  for (let step = replayed.first; step <= replayed.last; step++) {
    expect(
      visible(replayed.seek(step)),
      `step ${step} (${replayed.actionAt(step)?.action.type ?? 'start'})`,
    ).toBe(visible(session.live[step]!));
  }
  for (const s of [...SESSION_SECRETS, ...credentials]) expect(text).not.toContain(s);
}
