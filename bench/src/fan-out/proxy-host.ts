/**
 * The kates proxy in a process of its own: `node fan-out/proxy-host.js '<ProxyHostConfig>'` with
 * an IPC channel, so that its heap and CPU are the proxy's alone (the sessions run elsewhere).
 * It answers `ready` with its URL, and `stats` with what it asked of the API server, its
 * fan-out's caches, its heap after a full GC, and the CPU it used.
 */
import { type KubeProxyStats, startKubeProxy } from '@kates/proxy';

export interface ProxyHostConfig {
  readonly kubeconfigPath: string;
  /** One list+watch per query for all sessions (the fan-out), or each session's own (relay). */
  readonly fanOut: boolean;
  /** The fan-out keeps each object's JSON (default true; see `FanOutOptions.keepJson`). */
  readonly keepJson?: boolean;
}

export interface ProxyStats extends KubeProxyStats {
  /** Heap used after a full GC, bytes. */
  readonly heapUsed: number;
  readonly rss: number;
  /** CPU time used since start, µs (user + system). */
  readonly cpuUs: number;
}

export type ProxyHostMessage = { op: 'stats' } | { op: 'stop' };
export type ProxyHostReply =
  | { type: 'ready'; url: string }
  | { type: 'stats'; stats: ProxyStats }
  | { type: 'error'; message: string };

async function main(config: ProxyHostConfig): Promise<void> {
  const send = (m: ProxyHostReply) => process.send?.(m);
  const proxy = await startKubeProxy({
    kubeconfig: config.kubeconfigPath,
    port: 0,
    fanOut: config.fanOut && { keepJson: config.keepJson ?? true },
  });
  send({ type: 'ready', url: proxy.url });
  process.on('message', async (m: ProxyHostMessage) => {
    if (m.op === 'stop') {
      await proxy.close();
      process.exit(0);
    }
    (globalThis as { gc?: () => void }).gc?.();
    const cpu = process.cpuUsage();
    const mem = process.memoryUsage();
    send({
      type: 'stats',
      stats: { ...proxy.stats(), heapUsed: mem.heapUsed, rss: mem.rss, cpuUs: cpu.user + cpu.system },
    });
  });
}

main(JSON.parse(process.argv[2] ?? '{}') as ProxyHostConfig).catch((e: unknown) => {
  process.send?.({ type: 'error', message: (e as Error)?.stack ?? String(e) });
  process.exit(1);
});
