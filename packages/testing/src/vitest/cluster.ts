import { inject } from 'vitest';
import type { ProvidedCluster } from './global-setup.js';

/**
 * The real API server started by the global setup, or `null` where it could not be built
 * (Go missing, outside CI). Use with `describe.skipIf(!realCluster())`.
 */
export function realCluster(): ProvidedCluster | null {
  const cluster = inject('katesCluster');
  if (!cluster) {
    if (process.env.CI === 'true') throw new Error('CI=true but no real API server was started');
    const reason = inject('katesClusterSkipReason');
    console.warn(`skipping tests against the real API server: ${reason}`);
  }
  return cluster;
}
