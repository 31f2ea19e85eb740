import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// resolveChromium() answers once per process: each case loads the module afresh.
async function resolveWith(env: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  vi.resetModules();
  const { resolveChromium } = await import('./chromium.js');
  return resolveChromium();
}

describe('which Chromium the tests drive', () => {
  const dirs: string[] = [];
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kates-chromium-test-'));
    dirs.push(dir);
  });
  const executable = (name: string) => {
    const path = join(dir, name);
    writeFileSync(path, '#!/bin/sh\n');
    chmodSync(path, 0o755);
    return path;
  };
  afterEach(() => {
    vi.unstubAllEnvs();
  });
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('takes the binary CHROMIUM names, before any on PATH', async () => {
    const named = executable('my-chrome');
    executable('chromium');
    const chromium = await resolveWith({ CHROMIUM: named, PATH: dir });
    expect(chromium).toMatchObject({ executablePath: named, source: 'CHROMIUM', env: {} });
  });

  it('refuses a CHROMIUM that is not an executable file, saying what to set instead', async () => {
    const plain = join(dir, 'not-executable');
    writeFileSync(plain, '');
    await expect(resolveWith({ CHROMIUM: plain })).rejects.toThrow(
      `CHROMIUM=${plain} is not an executable file: point it at a Chromium or Chrome binary, set it to @sparticuz/chromium`,
    );
  });

  it('finds a system Chromium on PATH in the order chromium, chromium-browser, google-chrome', async () => {
    const chrome = executable('google-chrome');
    expect(await resolveWith({ CHROMIUM: undefined, PATH: dir })).toMatchObject({
      executablePath: chrome,
      source: 'system',
    });
    const browser = executable('chromium-browser');
    expect((await resolveWith({ CHROMIUM: undefined, PATH: dir })).executablePath).toBe(browser);
  });

  it('gives Playwright options with the environment the binary needs, and QUIC off', async () => {
    const named = executable('chrome-for-options');
    vi.stubEnv('CHROMIUM', named);
    vi.stubEnv('KATES_SOME_VARIABLE', 'kept');
    vi.resetModules();
    const { chromiumLaunchOptions } = await import('./chromium.js');
    const options = await chromiumLaunchOptions();
    expect(options.executablePath).toBe(named);
    expect(options.env.KATES_SOME_VARIABLE).toBe('kept');
    expect(options.args).toContain('--disable-quic');
  });
});
