import { Driver } from '../driver.js';

/** Watch events at a steady rate while a run lasts: annotation patches spread over the pods. */
export function startChurn(
  kubeconfigPath: string,
  namespace: string,
  pods: number,
  ratePerSec: number,
): { stop(): Promise<number> } {
  const driver = new Driver(kubeconfigPath, 'Pod', namespace);
  let stopped = false;
  let writes = 0;
  const loop = (async () => {
    // One second's writes per turn, paced by the driver (open loop), enough in flight for the
    // rate on a loaded API server; errors end nothing.
    while (!stopped) {
      const r = await driver
        .writes(pods, ratePerSec, { ratePerSec, concurrency: 32 })
        .catch(() => ({ writes: 0 }));
      writes += r.writes;
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      driver.close();
      return writes;
    },
  };
}
