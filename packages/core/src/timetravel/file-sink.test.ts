import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKatesStore } from '../store/store.js';
import { SECRET_VALUE, sessionActions } from './__fixtures__/session.js';
import { fileSink, readRecordingFile, rotatedPath } from './file-sink.js';
import { createRecorder } from './recorder.js';
import { replay } from './replay.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function recordToFile(options: { maxSegmentBytes?: number; maxFiles?: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'kates-rec-'));
  dirs.push(dir);
  const path = join(dir, 'session.jsonl');
  const recorder = createRecorder({
    sink: fileSink(path, { maxFiles: options.maxFiles }),
    maxSegmentBytes: options.maxSegmentBytes,
  });
  const store = createKatesStore({ enhancers: [recorder.enhancer] });
  for (const a of sessionActions()) store.dispatch(a);
  await recorder.close();
  return { path, recorder };
}

describe('fileSink', () => {
  it('writes a recording file that only its owner can read, and that replays', async () => {
    const { path } = await recordToFile({});
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).not.toContain(SECRET_VALUE);
    const session = replay(readRecordingFile(path));
    expect(session.verifyAll()).toEqual({ steps: sessionActions().length, mismatches: [] });
  });

  it('rotates segments into numbered files and deletes those past maxFiles', async () => {
    const { path, recorder } = await recordToFile({ maxSegmentBytes: 1500, maxFiles: 3 });
    expect(recorder.stats().segments).toBeGreaterThan(3);
    expect([0, 1, 2, 3].map((n) => existsSync(rotatedPath(path, n)))).toEqual([true, true, true, false]);
    expect(rotatedPath(path, 2)).toMatch(/session\.2\.jsonl$/);
  });

  it('joins the rotated files that are left, oldest first, into one replay that ends with the session', async () => {
    const { path } = await recordToFile({ maxSegmentBytes: 1500, maxFiles: 3 });
    const alone = replay(readRecordingFile(path));
    const joined = replay(readRecordingFile(path, { withRotated: true }));
    expect(joined.last).toBe(sessionActions().length);
    expect(alone.last).toBe(joined.last);
    expect(joined.first).toBeLessThan(alone.first);
    expect(joined.first).toBeGreaterThan(0);
    expect(joined.verifyAll().mismatches).toEqual([]);
    expect(joined.stateAt(alone.first)).not.toBe(alone.stateAt(alone.first));
  });

  it('says where to look when the file does not exist', () => {
    expect(() => readRecordingFile('/nonexistent/session.jsonl')).toThrow(
      /no recording at \/nonexistent\/session.jsonl/,
    );
  });
});
