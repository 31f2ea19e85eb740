import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileSink } from '@kates/core';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  recordControllerSession,
  SESSION_SECRETS,
} from '../../core/src/timetravel/__fixtures__/controller-session.js';
import { chromiumLaunchOptions } from '../../testing/src/browser/chromium.js';
import { type FakeApiServer, startFakeApiServer } from '../../testing/src/fake/index.js';
import { inspectorPage } from './build-page.js';
import { main, parseArgs } from './cli.js';
import { type InspectorServer, startInspector } from './server.js';

const artifacts = fileURLToPath(new URL('../../../artifacts', import.meta.url));

describe('kates inspect in Chromium', () => {
  const work = mkdtempSync(join(tmpdir(), 'kates-inspect-e2e-'));
  const file = join(work, 'session.jsonl');
  let api: FakeApiServer;
  let inspector: InspectorServer;
  let context: BrowserContext;

  beforeAll(async () => {
    api = await startFakeApiServer();
    await recordControllerSession(
      {
        kubeconfigPath: api.kubeconfigPath,
        directKubeconfigPath: api.kubeconfigPath,
        async outage(namespace, during) {
          api.faults.stallWatches(60_000, { namespace });
          await during();
          api.faults.compact();
          api.faults.dropWatches({ namespace });
        },
      },
      fileSink(file),
    );
    inspector = await startInspector({
      recording: file,
      webDir: await inspectorPage({ outDir: join(work, 'web') }),
    });
    context = await chromium.launchPersistentContext(join(work, 'profile'), {
      ...(await chromiumLaunchOptions()),
      viewport: { width: 1500, height: 950 },
    });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await inspector?.close();
    await api?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('loads a recorded controller session and scrubs to the relist, showing the action, the diff and each status', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(inspector.url);
    await expect
      .poll(() => page.getByTestId('position').textContent())
      .toBe(`step 0 of ${inspector.actions}`);
    // The keys work once the page has attached its listener: press until the position follows.
    await expect
      .poll(async () => {
        await page.keyboard.press('End');
        return page.getByTestId('position').textContent();
      })
      .toBe(`step ${inspector.actions} of ${inspector.actions}`);
    await page.keyboard.press('Home');
    // Find the relist: step through errors until the ConfigMaps query is relisting.
    for (let k = 0; k < 10; k++) {
      await page.getByTestId('next-error').click();
      if ((await page.getByTestId('status-ConfigMaps').getAttribute('data-phase')) === 'relisting') break;
    }
    expect(await page.getByTestId('status-ConfigMaps').getAttribute('data-phase')).toBe('relisting');
    expect(await page.getByTestId('action-type').textContent()).toBe('kates/reflectorStatus');
    expect(await page.getByTestId('status-Widgets').getAttribute('data-phase')).toBe('unserved');
    // Onward to the list that completes the ConfigMaps relist: the diff shows what changed in the outage.
    const configMapsDiff = page.getByTestId('diff-acc1/ConfigMaps');
    for (let k = 0; k < 30; k++) {
      await page.keyboard.press('ArrowRight');
      if (
        (await configMapsDiff.count()) > 0 &&
        (await configMapsDiff.textContent())?.includes('during-outage')
      )
        break;
    }
    expect(await page.getByTestId('action-type').textContent()).toBe('kates/listCompleted');
    const diff = await configMapsDiff.textContent();
    expect(diff).toContain('relisting → synced');
    expect(diff).toMatch(/during-outage/);
    expect(diff).toMatch(/− tt-[a-z0-9]+\/from-other/);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'inspector.png'), fullPage: true });
    const html = await page.content();
    for (const s of SESSION_SECRETS) expect(html).not.toContain(s);
    expect(errors).toEqual([]);
  }, 60_000);

  it('parses its command line and names what is wrong', async () => {
    expect(parseArgs(['inspect', 'a.jsonl', '--port', '9000', '--with-rotated'])).toEqual({
      file: 'a.jsonl',
      port: 9000,
      host: '127.0.0.1',
      withRotated: true,
    });
    expect(parseArgs(['inspect'])).toMatchObject({
      message: expect.stringMatching(/which recording\?/),
      code: 2,
    });
    expect(parseArgs(['inspect', 'a', '--port', 'x'])).toMatchObject({
      message: 'kates inspect: --port x is not a port',
    });
    expect(parseArgs(['frobnicate'])).toMatchObject({
      message: expect.stringMatching(/unknown command "frobnicate"/),
    });
    const logged: string[] = [];
    const error = console.error;
    console.error = (m: string) => logged.push(m);
    try {
      expect(await main(['inspect', join(work, 'missing.jsonl')])).toBe(1);
    } finally {
      console.error = error;
    }
    expect(logged[0]).toMatch(/^kates inspect: no recording at .*missing\.jsonl/);
  });
});
