/**
 * `node --expose-gc bench/dist/browser-flood/main.js [--server fake|real|replay|fake,real] [--pods 1000]
 *  [--payload-kb 100] [--mbps 30] [--rate N] [--seconds 75] [--sample-every 5]
 *  [--modes 'projection=projected,projection=whole'] [--downstream-mbps N] [--replay-history 10000]
 *  [--profile-page] [--after-wait 3] [--proxy-cpu-prof DIR] [--web DIR] [--out FILE]`:
 * the example dashboard in Chromium while the cluster's watch streams carry about `mbps` MB/s
 * (issue 21; Headlamp's tab runs out of memory on such a stream, kubernetes-sigs/headlamp#5863).
 *
 * The cluster holds `pods` pods, each given an annotation of `payload-kb` KB; then a writer (a
 * process of its own) patches a small annotation of the pods at `rate` writes a second (by
 * default `mbps` over the size of a pod), so that each watch event carries a whole large pod. For
 * each dashboard mode, the dashboard server (the kates proxy with its fan-out, warm) runs in a
 * process of its own, behind two counting TCP relays (API server to proxy, proxy to browser); the
 * page is opened, and once it shows every pod the flood runs for `seconds`: every `sample-every`
 * seconds the bytes carried each way, the tab's JS heap and the proxy's heap and RSS; the tab's
 * frames (browser-scale's recorder). Then the flood stops, pod 0 is changed last, and the time
 * until the page shows that change is taken, and the page's store is compared with a fresh LIST.
 * Writes bench/out/browser-flood.md and .json.
 *
 * `--server replay`: not an API server but a synthetic upstream (replay-host.ts): the pods LIST
 * and WATCH answered from pre-serialized pods, MODIFIED events with new resourceVersions written
 * at the rate asked for, everything else by the in-memory API server; for a stream (30 MB/s) that
 * neither API server produces on this machine, so that the proxy and the tab are what is measured.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type BenchServer, startFakeServer } from '../servers/fake.js';
import { startRealServer } from '../servers/real.js';
import { type Child, forkChild } from './child.js';
import type { DashboardHostConfig, DashboardHostMessage, DashboardHostReply } from './dashboard-host.js';
import type { FloodWriterConfig, FloodWriterMessage, FloodWriterReply } from './flood-writer.js';
import { startCountingRelay } from './relay.js';
import { startReplaySource } from './replay-source.js';
import { type FloodResult, renderFlood } from './report.js';
import { runFloodPage } from './run-flood.js';

const { values } = parseArgs({
  options: {
    server: { type: 'string', default: 'fake' },
    pods: { type: 'string', default: '1000' },
    'payload-kb': { type: 'string', default: '100' },
    mbps: { type: 'string', default: '30' },
    rate: { type: 'string' },
    seconds: { type: 'string', default: '75' },
    'sample-every': { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '64' },
    'converge-timeout': { type: 'string', default: '180' },
    /** `--server replay`: events the synthetic upstream keeps for watches that resume (its ring). */
    'replay-history': { type: 'string', default: '10000' },
    modes: { type: 'string', default: 'projection=projected,projection=whole' },
    /**
     * A slow browser: during the flood, the proxy-to-browser relay carries at most this many MB/s,
     * so that the proxy's session stream fills and its fan-out watches hold events back,
     * coalesced (lifted when the flood stops: convergence is then the coalesced resync's).
     */
    'downstream-mbps': { type: 'string' },
    /** Seconds between the live heaps at the end (after convergence) and the after ones. */
    'after-wait': { type: 'string', default: '3' },
    /** A CPU profile of the tab over the flood: what its long tasks (frames over 50 ms) do. */
    'profile-page': { type: 'boolean', default: false },
    /** A V8 CPU profile of each dashboard server (the proxy) into this folder (`--cpu-prof`). */
    'proxy-cpu-prof': { type: 'string' },
    /** A built dashboard (vite's output) to serve, rather than building one for the run. */
    web: { type: 'string' },
    out: { type: 'string', default: fileURLToPath(new URL('../../out/browser-flood.md', import.meta.url)) },
  },
});
const log = (line: string) =>
  process.stderr.write(`[browser-flood ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const root = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const pods = Number(values.pods);
const namespace = `bench-flood-${pods}`;

async function buildDashboard(outDir: string): Promise<void> {
  const { build } = (await import('vite')) as typeof import('vite');
  await build({
    configFile: root('examples/dashboard/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, sourcemap: false, minify: false, emptyOutDir: true },
  });
}

/** A copy of the kubeconfig whose server is the relay on `port` (same host name, so TLS still checks). */
function relayedKubeconfig(path: string, port: number): string {
  const source = readFileSync(path, 'utf8');
  const match = /server: (https?):\/\/([^:/\s]+):(\d+)/.exec(source);
  if (!match) throw new Error(`kubeconfig ${path} names no server with a port`);
  const out = `${path}.flood-relay`;
  writeFileSync(out, source.replace(match[0], `server: ${match[1]}://${match[2]}:${port}`));
  return out;
}

function apiPort(path: string): number {
  const match = /server: https?:\/\/[^:/\s]+:(\d+)/.exec(readFileSync(path, 'utf8'));
  if (!match) throw new Error(`kubeconfig ${path} names no server with a port`);
  return Number(match[1]);
}

const work = mkdtempSync(join(tmpdir(), 'kates-browser-flood-'));
const results: FloodResult[] = [];
try {
  const web = values.web ?? join(work, 'web');
  if (!values.web) await buildDashboard(web);
  const { chromium } = await import('playwright-core');
  const { chromiumLaunchOptions } = (await import(
    pathToFileURL(root('packages/testing/dist/browser/chromium.js')).href
  )) as { chromiumLaunchOptions: () => Promise<Record<string, unknown>> };
  for (const serverName of values.server.split(',')) {
    let server: Pick<BenchServer, 'kubeconfigPath' | 'setupMs' | 'stop'> | undefined;
    let writer: Child<FloodWriterMessage, FloodWriterReply> | undefined;
    try {
      if (serverName === 'replay') {
        // A synthetic upstream, not an API server: pre-serialized pods events at the rate asked
        // for (replay-feed.ts), the in-memory API server for everything else.
        const replay = await startReplaySource({
          namespace,
          pods,
          payloadBytes: Number(values['payload-kb']) * 1024,
          historyEvents: Number(values['replay-history']),
        });
        server = replay;
        writer = replay.writer;
      } else {
        server =
          serverName === 'real'
            ? await startRealServer([{ kind: 'Pod', n: pods, namespace }], log)
            : await startFakeServer([{ kind: 'Pod', n: pods, namespace }], { historySize: 2000 });
      }
      log(`${serverName} source: ${pods} pods in ${(server.setupMs / 1000).toFixed(1)} s`);
      const kubeconfig = server.kubeconfigPath;
      writer ??= forkChild<FloodWriterMessage, FloodWriterReply>(
        here('./flood-writer.js'),
        { kubeconfig, namespace, pods } satisfies FloodWriterConfig,
        ['--max-old-space-size=2048'],
      );
      const fat = await writer.ask(
        { op: 'fatten', bytes: Number(values['payload-kb']) * 1024, concurrency: 16 },
        'fattened',
      );
      const rate =
        values.rate !== undefined
          ? Number(values.rate)
          : Math.round((Number(values.mbps) * 2 ** 20) / fat.objectBytes);
      log(
        `fattened ${pods} pods in ${(fat.ms / 1000).toFixed(1)} s: a pod is ${(fat.objectBytes / 1024).toFixed(0)} KB; ${rate} writes/s`,
      );
      const upstream = await startCountingRelay(apiPort(kubeconfig));
      const relayed = relayedKubeconfig(kubeconfig, upstream.port);
      const context = await chromium.launchPersistentContext(join(work, `profile-${serverName}`), {
        ...(await chromiumLaunchOptions()),
        viewport: { width: 1280, height: 900 },
      });
      const modes: FloodResult['modes'][number][] = [];
      try {
        for (const mode of values.modes.split(',')) {
          const load0 = loadavg()[0] ?? 0;
          const host = forkChild<DashboardHostMessage, DashboardHostReply>(
            here('./dashboard-host.js'),
            {
              kubeconfig: relayed,
              staticDir: web,
              serverModule: root('examples/dashboard/dist/node/server.js'),
            } satisfies DashboardHostConfig,
            [
              '--expose-gc',
              '--max-old-space-size=4096',
              ...(values['proxy-cpu-prof']
                ? ['--cpu-prof', `--cpu-prof-dir=${values['proxy-cpu-prof']}`]
                : []),
            ],
          );
          try {
            const ready = await host.next('ready');
            log(`${mode}: dashboard server warm in ${ready.warmupMs.toFixed(0)} ms`);
            const downstream = await startCountingRelay(Number(new URL(ready.url).port));
            try {
              const run = await runFloodPage(context, {
                mode,
                url: `http://127.0.0.1:${downstream.port}/?${mode}`,
                pods,
                seconds: Number(values.seconds),
                ...(values['downstream-mbps']
                  ? { downstreamLimitBytesPerSec: Number(values['downstream-mbps']) * 2 ** 20 }
                  : {}),
                ratePerSec: rate,
                concurrency: Number(values.concurrency),
                sampleEverySec: Number(values['sample-every']),
                convergeTimeoutSec: Number(values['converge-timeout']),
                profilePage: values['profile-page'],
                afterWaitSec: Number(values['after-wait']),
                upstream,
                downstream,
                host,
                writer,
                log,
              });
              modes.push(run);
            } finally {
              await downstream.close();
            }
          } catch (e) {
            log(`${mode}: failed: ${(e as Error).stack ?? e}`);
            modes.push({ mode, failure: (e as Error).message, load: [load0, loadavg()[0] ?? 0] });
            // A flood left running by the failure is stopped before the next mode.
            await writer.ask({ op: 'stop' }, 'stopped').catch(() => {});
          } finally {
            await host.stop({ op: 'stop' });
          }
        }
      } finally {
        await context.close();
        await upstream.close();
        rmSync(relayed, { force: true });
      }
      results.push({
        server: serverName,
        pods,
        payloadBytes: Number(values['payload-kb']) * 1024,
        objectBytes: fat.objectBytes,
        ratePerSec: rate,
        targetMBps: (rate * fat.objectBytes) / 2 ** 20,
        seconds: Number(values.seconds),
        ...(values['downstream-mbps'] ? { downstreamLimitMBps: Number(values['downstream-mbps']) } : {}),
        date: new Date().toISOString(),
        modes,
      });
      // Written after each server, so that a later failure keeps what was measured.
      const markdown = results.map(renderFlood).join('\n');
      mkdirSync(dirname(values.out), { recursive: true });
      writeFileSync(values.out, markdown);
      writeFileSync(values.out.replace(/\.md$/, '.json'), `${JSON.stringify(results, null, 1)}\n`);
      process.stdout.write(renderFlood(results.at(-1) as FloodResult));
    } finally {
      // The replay source's writer is its host: its stop() ends it.
      if (serverName !== 'replay') await writer?.stop({ op: 'exit' });
      await server?.stop();
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
