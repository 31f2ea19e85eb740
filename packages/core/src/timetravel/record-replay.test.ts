import { describe, expect, it } from 'vitest';
import * as a from '../store/actions.js';
import type { KatesState } from '../store/state.js';
import { createKatesStore } from '../store/store.js';
import { SECRET_VALUE, sessionActions, TOKEN } from './__fixtures__/session.js';
import { visible } from './__fixtures__/visible.js';
import { parseRecording } from './parse.js';
import { createRecorder } from './recorder.js';
import { Redactor } from './redact.js';
import { ReplayMismatchError, replay } from './replay.js';
import { memorySink } from './sink.js';
import { SnapshotHasher } from './snapshot-hash.js';

/** Records `actions` and returns the recording's text with the live state after each action. */
function recordSession(
  actions = sessionActions(),
  options: Partial<Parameters<typeof createRecorder>[0]> = {},
) {
  const sink = memorySink();
  const recorder = createRecorder({ sink, ...options });
  const store = createKatesStore({ enhancers: [recorder.enhancer] });
  const live: KatesState[] = [store.getState().kates];
  store.subscribe(() => live.push(store.getState().kates));
  for (const action of actions) store.dispatch(action);
  return { sink, recorder, store, live, text: sink.text() };
}

describe('recorder and replay', () => {
  it('writes a header, a checkpoint and one line per action with its index, time and hash', () => {
    const { text, live } = recordSession();
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({
      format: 'kates-recording',
      version: 1,
      segment: 0,
      firstIndex: 1,
      hashAlgorithm: 'kates-snapshot-fnv1a64-sum/v1',
      redaction: { secrets: true, tokens: true, paths: [] },
    });
    const actions = lines.slice(1 + lines[0].checkpointLines);
    expect(actions).toHaveLength(sessionActions().length);
    expect(actions.map((l) => l.i)).toEqual(actions.map((_, k) => k + 1));
    expect(live).toHaveLength(actions.length + 1);
    const hasher = new SnapshotHasher(new Redactor());
    for (const [k, l] of actions.entries()) expect(l.hash).toBe(hasher.hash(live[k + 1]!));
  });

  it('rebuilds at every step a snapshot identical to the one the live store had', () => {
    const { text, live } = recordSession();
    const session = replay(text);
    expect(session.first).toBe(0);
    expect(session.last).toBe(live.length - 1);
    for (let step = session.first; step <= session.last; step++) {
      expect(visible(session.seek(step)), `step ${step}`).toBe(visible(live[step]!));
    }
  });

  it('steps back and jumps anywhere to the same states as stepping forward', () => {
    const { text, live } = recordSession();
    const session = replay(text, { checkpointEvery: 4 });
    session.seek(session.last);
    for (let step = session.last; step >= session.first; step--)
      expect(visible(session.seek(step))).toBe(visible(live[step]!));
    for (const step of [17, 3, 30, 0, 29, 12, 12, 31])
      expect(visible(session.seek(step))).toBe(visible(live[step]!));
    expect(session.forward(2)).toBe(session.stateAt(33));
    expect(session.back(40)).toBe(session.stateAt(0));
    expect(() => session.seek(999)).toThrow(/step 999 is outside this recording: steps go from 0 to 34/);
  });

  it('keeps no Secret value and no bearer token in the recording', () => {
    const { text } = recordSession();
    expect(text).not.toContain(SECRET_VALUE);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('abc123');
    expect(text).toContain('"password":"<redacted>"');
  });

  it('hashes Secrets by their redacted form, so that replayed Secrets verify', () => {
    const { text } = recordSession();
    const { mismatches } = replay(text, { verify: 'report' }).verifyAll();
    expect(mismatches).toEqual([]);
  });

  it('reports the step where a replayed snapshot differs from the recorded one', () => {
    const { text } = recordSession();
    const lines = text.trim().split('\n');
    const k = lines.findIndex((l) => l.includes('"kates/listCompleted"') && l.includes('"108"'));
    lines[k] = lines[k]!.replace('"resourceVersion":"108"}', '"resourceVersion":"107"}');
    const session = replay(lines.join('\n'));
    const step = JSON.parse(lines[k]!).i as number;
    expect(() => session.seek(session.last)).toThrow(ReplayMismatchError);
    expect(() => session.seek(step)).toThrow(new RegExp(`replay step ${step} \\(kates/listCompleted\\)`));
    expect(session.seek(step - 1)).toBeDefined();
  });

  it('records actions in reducer order when a listener dispatches during a notification', () => {
    const sink = memorySink();
    const recorder = createRecorder({ sink });
    const store = createKatesStore({ enhancers: [recorder.enhancer] });
    store.subscribe(() => {
      if (store.getState().kates.queries['a/one'] && !store.getState().kates.queries['a/two']) {
        store.dispatch(
          a.queryAdded({
            id: 'a/two',
            accumulator: 'a',
            name: 'two',
            kind: 'pods',
            labelSelector: '',
            fieldSelector: '',
          }),
        );
      }
    });
    store.dispatch(
      a.queryAdded({
        id: 'a/one',
        accumulator: 'a',
        name: 'one',
        kind: 'pods',
        labelSelector: '',
        fieldSelector: '',
      }),
    );
    const rec = parseRecording(sink.text());
    expect(rec.actions.map((l) => (l.action.payload as { id: string }).id)).toEqual(['a/one', 'a/two']);
    expect(replay(rec).verifyAll().mismatches).toEqual([]);
  });

  it('records only kates actions by default', () => {
    const { text } = recordSession([
      a.queryAdded({
        id: 'x/q',
        accumulator: 'x',
        name: 'q',
        kind: 'pods',
        labelSelector: '',
        fieldSelector: '',
      }),
      { type: 'app/other', payload: { password: 'p' } },
    ]);
    expect(parseRecording(text).actions.map((l) => l.action.type)).toEqual(['kates/queryAdded']);
  });

  it('starts a new segment with a checkpoint when a segment reaches its size bound, and each segment replays alone', () => {
    const { sink, live, recorder } = recordSession(sessionActions(), { maxSegmentBytes: 2000 });
    expect(sink.segments.length).toBeGreaterThan(3);
    expect(recorder.stats().segments).toBe(sink.segments.length);
    for (let s = 0; s < sink.segments.length; s++) {
      const session = replay(sink.text(s));
      expect(session.verifyAll().mismatches).toEqual([]);
      for (let step = session.first; step <= session.last; step++)
        expect(visible(session.seek(step))).toBe(visible(live[step]!));
      expect(sink.text(s)).not.toContain(SECRET_VALUE);
    }
    const joined = replay(sink.text());
    expect([joined.first, joined.last]).toEqual([0, live.length - 1]);
    expect(parseRecording(sink.text()).segments).toBe(sink.segments.length);
  });

  it('starts a new segment when a segment reaches its age bound', () => {
    let clock = 0;
    const { sink } = recordSession(sessionActions(), { maxSegmentMs: 10, now: () => (clock += 3) });
    expect(sink.segments.length).toBeGreaterThan(5);
  });

  it('refuses to join segments that do not follow each other', () => {
    const { sink } = recordSession(sessionActions(), { maxSegmentBytes: 2000 });
    expect(() => parseRecording(sink.text(0) + sink.text(2))).toThrow(
      /segment 2 starts at action \d+ .* oldest first/,
    );
  });

  it('leaves out a last line cut short and says so', () => {
    const { text } = recordSession();
    const cut = text.slice(0, text.length - 20);
    const rec = parseRecording(cut);
    expect(rec.truncated).toBe(true);
    expect(rec.actions).toHaveLength(sessionActions().length - 1);
    expect(() => parseRecording(`${cut}\n${text.split('\n').at(-2)}`)).toThrow(/line \d+: not JSON/);
  });

  it('names what is wrong with a file that is not a recording', () => {
    expect(() => parseRecording('{"hello":1}')).toThrow(
      /line 1: the first line must be a kates-recording header/,
    );
    expect(() => parseRecording('{"format":"kates-recording","version":2}')).toThrow(
      /version 2 is not supported/,
    );
    expect(() => parseRecording('')).toThrow(/empty/);
  });
});
