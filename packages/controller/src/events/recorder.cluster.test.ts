import { realCluster } from '../../../testing/src/vitest/cluster.js';
import { describeRecorderOn } from './__fixtures__/recorder-on-server.js';

const cluster = realCluster();

if (cluster) {
  describeRecorderOn('the real kube-apiserver', async () => ({
    kubeconfigPath: cluster.kubeconfigPath,
    stop: async () => {},
  }));
}
