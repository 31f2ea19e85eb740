import { startFakeApiServer } from '../fake/server.js';
import { defineContract } from './define-contract.js';
import { ContractHttp } from './http.js';

defineContract('the contract on the fake API server', async () => {
  const server = await startFakeApiServer();
  const http = new ContractHttp(server.kubeconfigPath);
  const nobody = new ContractHttp(server.nobodyKubeconfigPath);
  return {
    kind: 'fake',
    http,
    nobody,
    async expiringServer() {
      const own = await startFakeApiServer();
      const ownHttp = new ContractHttp(own.kubeconfigPath);
      return {
        http: ownHttp,
        expireHistory: async () => {
          own.faults.compact();
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
      await server.stop();
    },
  };
});
