import { realCluster } from '../../../testing/src/vitest/cluster.js';
import { describeFinalizersOn } from './__fixtures__/finalizers-on-server.js';

const cluster = realCluster();

if (cluster) {
  describeFinalizersOn('the real kube-apiserver', async () => ({
    kubeconfigPath: cluster.kubeconfigPath,
    stop: async () => {},
  }));
}
