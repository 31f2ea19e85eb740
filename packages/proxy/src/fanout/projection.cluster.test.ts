import { describe } from 'vitest';
import { realCluster } from '../../../testing/src/vitest/cluster.js';
import { projectionCases } from '../__fixtures__/projection-cases.js';

const cluster = realCluster();

describe.skipIf(!cluster)('projected lists and watches through the proxy, on the real API server', () => {
  projectionCases(() => cluster!.kubeconfigPath);
});
