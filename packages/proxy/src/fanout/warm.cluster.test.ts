import { describe } from 'vitest';
import { realCluster } from '../../../testing/src/vitest/cluster.js';
import { warmCases } from '../__fixtures__/warm-cases.js';

const cluster = realCluster();

describe.skipIf(!cluster)('a proxy with warm caches, on the real API server', () => {
  warmCases(() => cluster!.kubeconfigPath);
});
