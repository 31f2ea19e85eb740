import { startKubeProxy } from '@kates/proxy';
import { startFakeApiServer } from '@kates/testing';
import { describe, expect, it } from 'vitest';
import { Driver } from '../driver.js';
import { generate } from '../objects.js';
import type { ProxyProcess } from './proxy-process.js';
import { runFanOut } from './run-fan-out.js';

describe('the fan-out benchmark', () => {
  it('runs at tiny N in-process: every session reads every pod, and the fan-out costs the API server one list and one watch', async () => {
    const namespace = 'bench-pod-30';
    const api = await startFakeApiServer({
      seed: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
        ...Array.from({ length: 30 }, (_, i) => generate('Pod', i, namespace)),
      ],
    });
    const driver = new Driver(api.kubeconfigPath, 'Pod', namespace);
    const startProxy = async (fanOut: boolean): Promise<ProxyProcess> => {
      const proxy = await startKubeProxy({ kubeconfig: api.kubeconfigPath, port: 0, fanOut });
      return {
        url: proxy.url,
        stats: async () => ({ ...proxy.stats(), heapUsed: 0, rss: 0, cpuUs: 0 }),
        stop: () => proxy.close(),
      };
    };
    try {
      const result = await runFanOut({
        startProxy,
        path: `/api/v1/namespaces/${namespace}/pods`,
        sessions: 5,
        relaySessions: 2,
        change: async (marker) => {
          await driver.marker(marker);
        },
        log: () => {},
      });
      expect(result.objects).toBe(30);
      expect(result.relay.upstream.watches).toBe(2);
      expect(result.fanOut.upstreamAfterFirst).toMatchObject({ reads: 1, watches: 1 });
      expect(result.fanOut.upstreamAfterAll).toMatchObject({ reads: 1, watches: 1, openWatches: 1 });
      expect(Number.isFinite(result.fanOut.eventToAllMs.max)).toBe(true);
    } finally {
      driver.close();
      await api.stop();
    }
  });
});
