/**
 * The example dashboard's server (the kates proxy and the page's files) in a process of its own:
 * `node browser-flood/dashboard-host.js '<DashboardHostConfig>'` with an IPC channel, so that its
 * heap and RSS are the proxy's alone. It answers `ready` with its URL, and `stats` with its memory
 * (`gc`: after a full collection too) and what the proxy holds.
 */
import type { KubeProxyStats } from '@kates/proxy';
import { loadStartDashboard } from '../browser-scale/dashboard-server.js';

export interface DashboardHostConfig {
  readonly kubeconfig: string;
  readonly staticDir: string;
  /** examples/dashboard/dist/node/server.js */
  readonly serverModule: string;
}

/** The proxy process's memory, bytes. */
export interface HostMemory {
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly rss: number;
  readonly external: number;
  /** Heap used after a full collection (asked with `gc`). */
  readonly liveHeap?: number;
  /** CPU used since start, µs (user + system). */
  readonly cpuUs: number;
}

export type DashboardHostMessage = { op: 'stats'; gc?: boolean } | { op: 'stop' };
export type DashboardHostReply =
  | { type: 'ready'; url: string; warmupMs: number }
  | { type: 'stats'; memory: HostMemory; proxy: KubeProxyStats }
  | { type: 'error'; message: string };

async function main(config: DashboardHostConfig): Promise<void> {
  const send = (m: DashboardHostReply) => process.send?.(m);
  const startDashboard = await loadStartDashboard(config.serverModule);
  const t0 = performance.now();
  const dashboard = await startDashboard({
    kubeconfig: config.kubeconfig,
    port: 0,
    staticDir: config.staticDir,
  });
  await dashboard.proxy.waitForCacheSync(AbortSignal.timeout(300_000));
  send({ type: 'ready', url: dashboard.url, warmupMs: performance.now() - t0 });
  process.on('message', async (m: DashboardHostMessage) => {
    if (m.op === 'stop') {
      await dashboard.close();
      process.exit(0);
    }
    let liveHeap: number | undefined;
    if (m.gc) {
      (globalThis as { gc?: () => void }).gc?.();
      liveHeap = process.memoryUsage().heapUsed;
    }
    const mem = process.memoryUsage();
    const cpu = process.cpuUsage();
    send({
      type: 'stats',
      memory: {
        heapUsed: mem.heapUsed,
        heapTotal: mem.heapTotal,
        rss: mem.rss,
        external: mem.external,
        ...(liveHeap !== undefined ? { liveHeap } : {}),
        cpuUs: cpu.user + cpu.system,
      },
      proxy: dashboard.proxy.stats(),
    });
  });
  process.on('disconnect', () => void dashboard.close().then(() => process.exit(0)));
}

main(JSON.parse(process.argv[2] ?? '{}') as DashboardHostConfig).catch((e: unknown) => {
  process.send?.({ type: 'error', message: (e as Error)?.stack ?? String(e) });
  process.exit(1);
});
