import { realCluster } from '../../../packages/testing/src/vitest/cluster.js';
import { describeSitesOn } from './__fixtures__/sites-on-server.js';

const cluster = realCluster();

if (cluster) {
  describeSitesOn('the real kube-apiserver', async () => ({
    kubeconfigPath: cluster.kubeconfigPath,
    stop: async () => {},
  }));
}
