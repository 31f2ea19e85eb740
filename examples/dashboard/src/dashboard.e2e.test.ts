import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Client, createClient } from '@kates/core';
import { type FakeApiServer, sampleClusterObjects, startFakeApiServer } from '@kates/testing';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumLaunchOptions } from '../../../packages/testing/src/browser/chromium.js';
import { realCluster } from '../../../packages/testing/src/vitest/cluster.js';
import { runController } from '../../controller/src/controller.js';
import { sampleMappings } from '../../controller/src/seed.js';
import { type Dashboard, startDashboard } from '../server.js';
import { LIST_PAGE_SIZE } from './cluster.js';
import { devToolsRecorder, type RecordedDevTools } from './e2e/devtools-recorder.js';
import { measureFrames } from './e2e/frames.js';

const cluster = realCluster();
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const artifacts = here('../../../artifacts');

const work = mkdtempSync(join(tmpdir(), 'kates-dashboard-e2e-'));
const web = join(work, 'web');
let context: BrowserContext;

beforeAll(async () => {
  await build({
    configFile: here('../vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: web, sourcemap: false },
  });
  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    ...(await chromiumLaunchOptions()),
    viewport: { width: 1400, height: 900 },
  });
}, 120_000);

afterAll(async () => {
  await context?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Waits until the ConfigMap row named `name` satisfies `check` (or is gone); returns the time it took, ms. */
async function rowFollows(page: Page, name: string, check: 'absent' | string): Promise<number> {
  const started = Date.now();
  await page.waitForFunction(
    ([n, c]) => {
      const row = document.querySelector(`[data-testid="table-configmaps"] .row[data-name="${n}"]`);
      return c === 'absent' ? row === null : (row?.textContent ?? '').includes(c as string);
    },
    [name, check] as const,
    { timeout: 2000, polling: 'raf' },
  );
  return Date.now() - started;
}

async function waitSynced(page: Page, queries: readonly string[], timeout: number): Promise<void> {
  for (const q of queries) {
    await page.locator(`[data-testid="status-${q}"][data-phase="synced"]`).waitFor({ timeout });
  }
}

// Eight watches: more than the six connections Chromium opens to an origin over HTTP/1.1. They
// sync only because the transport carries them on one stream through the proxy.
const ALL = ['namespaces', 'deployments', 'replicasets', 'pods', 'services', 'configmaps', 'events', 'nodes'];

describe.skipIf(!cluster)('the dashboard in Chromium against the real API server', () => {
  let dashboard: Dashboard;
  let client: Client;
  const name = `e2e-${Date.now().toString(36)}`;

  beforeAll(async () => {
    dashboard = await startDashboard({ kubeconfig: cluster!.kubeconfigPath, port: 0, staticDir: web });
    client = createClient({ kubeconfig: cluster!.kubeconfigPath });
  });
  afterAll(async () => {
    await dashboard?.close();
    client?.transport.close?.();
  });

  it('shows each query synced, then follows a ConfigMap created, modified and deleted within 2 s each', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(dashboard.url);
    await waitSynced(page, ALL, 15_000);
    await page.getByTestId('tab-configmaps').click();
    await page.getByTestId('search').fill(name);
    await page.locator('[data-testid="table-configmaps"][data-rows="0"]').waitFor();

    await client.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: 'default' },
      data: { step: 'created' },
    });
    const created = await rowFollows(page, name, 'step');
    await client.patch({ kind: 'ConfigMap', name, namespace: 'default' }, { data: { modified: 'yes' } });
    const modified = await rowFollows(page, name, 'modified, step');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'dashboard-real-cluster.png'), fullPage: true });
    await client.delete({ kind: 'ConfigMap', name, namespace: 'default' });
    const deleted = await rowFollows(page, name, 'absent');

    process.stderr.write(
      `[dashboard e2e] the page followed a create in ${created} ms, a modify in ${modified} ms, ` +
        `a delete in ${deleted} ms\n`,
    );
    expect(await page.getByTestId('status-configmaps').getAttribute('data-phase')).toBe('synced');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the dashboard in Chromium on the example router controller and its sample cluster', () => {
  let server: FakeApiServer;
  let client: Client;
  let dashboard: Dashboard;
  const stop = new AbortController();
  let controller: Promise<unknown>;

  beforeAll(async () => {
    server = await startFakeApiServer({ seed: [...sampleClusterObjects(), ...sampleMappings()] });
    client = createClient({ kubeconfig: server.kubeconfigPath });
    controller = runController({ client, log: () => {}, signal: stop.signal });
    dashboard = await startDashboard({ kubeconfig: server.kubeconfigPath, port: 0, staticDir: web });
  });
  afterAll(async () => {
    stop.abort();
    await controller;
    await dashboard?.close();
    client?.close();
    await server?.stop();
  });

  it('shows the Mappings and the routing tables the controller keeps, and follows a new Mapping into its table within 2 s', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(dashboard.url);
    await waitSynced(page, [...ALL, 'mappings'], 15_000);
    // A coherent cluster: every Deployment ready, both Nodes ready, Pods fully ready.
    expect(await page.getByTestId('count-deployments').textContent()).toMatch(/^6\/6/);
    expect(await page.getByTestId('count-nodes').textContent()).toMatch(/^2\/2/);
    const pods = page.locator('[data-testid="table-pods"] .row[data-name]');
    await pods.first().waitFor();
    for (const row of await pods.all()) expect(await row.textContent()).toContain('1/1');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'dashboard-pods.png') });

    await page.getByTestId('tab-mappings').click();
    await page.locator('[data-testid="table-mappings"][data-rows="4"]').waitFor();
    await page.getByTestId('tab-routes').click();
    await page.locator('[data-testid="routes"][data-tables="2"]').waitFor({ timeout: 5000 });
    const storefront = page.locator('[data-testid="routes-shop"] .row[data-prefix="/"]');
    expect(await storefront.textContent()).toMatch(/storefront.*80.*2.*serving.*storefront/);

    await client.create({
      apiVersion: 'example.kates.dev/v1',
      kind: 'Mapping',
      metadata: { name: 'canary', namespace: 'shop' },
      spec: { prefix: '/canary/', service: 'missing' },
    });
    const started = Date.now();
    await page
      .locator('[data-testid="routes-shop"] .row[data-prefix="/canary/"]', {
        hasText: 'service missing not found',
      })
      .waitFor({ timeout: 2000 });
    process.stderr.write(
      `[dashboard e2e] a new Mapping was in its routing table on the page in ${Date.now() - started} ms\n`,
    );
    await page.screenshot({ path: join(artifacts, 'dashboard.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the dashboard in Chromium on the embedded API server with 10,000 pods', () => {
  let dashboard: Dashboard;
  beforeAll(async () => {
    dashboard = await startDashboard({ port: 0, staticDir: web, pods: 10_000, churn: 50 });
  }, 60_000);
  afterAll(() => dashboard?.close());

  it('lists them, follows the churn without long frames, and hands Redux DevTools small sanitized states', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(devToolsRecorder);
    const started = Date.now();
    await page.goto(dashboard.url);
    await waitSynced(page, ALL, 60_000);
    const syncedMs = Date.now() - started;
    expect(await page.getByTestId('status-pods').textContent()).toMatch(/^pods: synced \(10\d{3}\)$/);

    const frames = await measureFrames(page, 3000);
    const devtools = (await page.evaluate(
      () => (window as { __devtools?: unknown }).__devtools,
    )) as RecordedDevTools;
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'dashboard-10k.png') });
    process.stderr.write(
      `[dashboard e2e] 10k pods: synced in ${syncedMs} ms; ${frames.events} watch events in 3 s; ` +
        `frames p50 ${frames.p50.toFixed(1)} ms, p95 ${frames.p95.toFixed(1)} ms, max ${frames.max.toFixed(1)} ms; ` +
        `DevTools got ${devtools.actions} actions, largest state ${devtools.maxStateBytes} B, ` +
        `largest action ${devtools.maxActionBytes} B\n`,
    );

    expect(frames.events).toBeGreaterThan(0);
    // Loose bounds: the machine is shared. What must never happen is a frozen page.
    expect(frames.p50).toBeLessThan(50);
    expect(frames.max).toBeLessThan(1000);
    expect(devtools.name).toBe('kates dashboard');
    expect(devtools.actions).toBeGreaterThan(20);
    expect(devtools.maxStateBytes).toBeLessThan(20_000);
    expect(devtools.maxActionBytes).toBeLessThan(5_000);
    // List pages reach DevTools as counts, never as the objects themselves.
    expect(devtools.maxListPageCount).toBe(LIST_PAGE_SIZE);
    expect(errors).toEqual([]);
    await page.close();
  });
});
