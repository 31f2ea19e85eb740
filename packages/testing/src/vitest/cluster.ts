import { inject } from 'vitest';
import type { ProvidedCluster } from './global-setup.js';

/**
 * The real API server started by the global setup of the `integration` project, or `null` where it
 * could not be built (Go missing, outside CI). Use with `describe.skipIf(!realCluster())`, in a file
 * named `*.cluster.test.ts` (see vitest.config.ts): the `unit` project starts no API server, and
 * calling this there is an error rather than a silent skip.
 */
export function realCluster(): ProvidedCluster | null {
  if (inject('katesUnitProject')) {
    throw new Error(
      'realCluster() was called in the unit test project, which starts no API server: ' +
        'name a test file that needs the real API server *.cluster.test.ts (see vitest.config.ts)',
    );
  }
  const cluster = inject('katesCluster');
  if (!cluster) {
    if (process.env.CI === 'true') throw new Error('CI=true but no real API server was started');
    const reason = inject('katesClusterSkipReason');
    console.warn(`skipping tests against the real API server: ${reason}`);
  }
  return cluster;
}
