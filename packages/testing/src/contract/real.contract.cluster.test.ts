import { startCluster } from '../cluster/cluster.js';
import { realCluster } from '../vitest/cluster.js';
import { defineContract } from './define-contract.js';
import { ContractHttp } from './http.js';

const cluster = realCluster();

// Where Go is missing outside CI there is no real server; under CI=true realCluster() throws instead.
if (cluster) {
  defineContract('the contract on the real kube-apiserver', async () => {
    const http = new ContractHttp(cluster.kubeconfigPath);
    const nobody = new ContractHttp(cluster.nobodyKubeconfigPath);
    return {
      kind: 'real',
      http,
      nobody,
      async expiringServer() {
        // Compaction and a restart would disturb every other test file: a cluster of its own.
        const own = await startCluster({ onProgress: () => {} });
        const ownHttp = new ContractHttp(own.kubeconfigPath);
        return {
          http: ownHttp,
          async expireHistory() {
            await own.compact();
            // The watch cache keeps old events in memory; a restart drops it, as an apiserver rollout does.
            await own.restartApiServer();
          },
          async stop() {
            await ownHttp.close();
            await own.stop();
          },
        };
      },
      async stop() {
        await http.close();
        await nobody.close();
      },
    };
  });
}
