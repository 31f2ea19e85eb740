import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConfigMap, readRecordingFile, replay, replayReconcile } from '@kates/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedPlan, plan } from './controller.js';
import { findBug, firstBadStep } from './find-bug.js';
import { recordSession } from './record.js';

describe('the time-travel example', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kates-time-travel-'));
  const path = join(dir, 'session.jsonl');
  let actions = 0;
  beforeAll(async () => {
    actions = await recordSession(path);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records a controller session whose every step replays to the snapshot the controller saw', () => {
    const session = replay(readRecordingFile(path));
    expect(session.last).toBe(actions);
    expect(session.verifyAll().mismatches).toEqual([]);
    const types = new Set(readRecordingFile(path).actions.map((r) => r.action.type));
    expect([...types]).toEqual(
      expect.arrayContaining(['kates/watchEvents', 'kates/localWrite', 'kates/listCompleted']),
    );
    expect(readFileSync(path, 'utf8')).not.toContain('correct horse battery staple');
    expect(readFileSync(path, 'utf8')).not.toContain(
      Buffer.from('correct horse battery staple').toString('base64'),
    );
  });

  it('steps to the moment the bug happened: the watch event that brought replicas "three"', () => {
    const bug = findBug(path)!;
    expect(bug.report).toMatch(/^step \d+ of \d+: \+\d+ ms, kates\/watchEvents/);
    expect(bug.report).toContain('ConfigMaps: shop/cart data.replicas: "2" -> "three"');
    const session = replay(readRecordingFile(path));
    expect(
      replayReconcile(
        session,
        bug.step - 1,
        ({ snapshot }) => plan((snapshot.ConfigMaps ?? []) as readonly ConfigMap[]).replicas,
      ),
    ).toBe(6);
  });

  it('turns the captured bug into a unit test that the fix passes', () => {
    const session = replay(readRecordingFile(path));
    const step = firstBadStep(session)!;
    expect(
      replayReconcile(session, step, ({ snapshot }) =>
        plan((snapshot.ConfigMaps ?? []) as readonly ConfigMap[]),
      ),
    ).toEqual({ services: 3, replicas: Number.NaN });
    expect(
      replayReconcile(session, step, ({ snapshot }) =>
        fixedPlan((snapshot.ConfigMaps ?? []) as readonly ConfigMap[]),
      ),
    ).toEqual({ services: 3, replicas: 4 });
    expect(firstBadStep(session, fixedPlan)).toBeUndefined();
  });
});
