import { afterAll, beforeAll, describe } from 'vitest';
import { ensureProtobufTranscoder } from '../fake/protobuf/build.js';
import { Transcoder } from '../fake/protobuf/transcoder.js';
import { startFakeApiServer } from '../fake/server.js';
import { realCluster } from '../vitest/cluster.js';
import type { ContractContext } from './cases/context.js';
import { protobufContract } from './cases/protobuf.js';
import { ContractHttp } from './http.js';

/**
 * The protobuf cases of the contract (cases/protobuf.ts), on the fake and on the real
 * kube-apiserver. Apart from the rest of the contract because they need kates-protobuf, built
 * from Go modules, to encode and decode as client-go does, and the fake needs it to speak protobuf.
 */
function defineProtobufContract(
  name: string,
  server: () => Promise<{ http: ContractHttp; stop(): Promise<void> }>,
) {
  describe(name, () => {
    let http: ContractHttp | undefined;
    let stop = async () => {};
    let codec: Transcoder | undefined;
    let counter = 0;
    const run = Math.random().toString(36).slice(2, 7);
    const namespace = `contract-pb-${run}`;
    const ctx: ContractContext = {
      target: () => {
        throw new Error('the protobuf cases use http() alone');
      },
      http: () => http as ContractHttp,
      namespace: () => namespace,
      name: (prefix) => `${prefix}-${run}-${++counter}`,
    };

    beforeAll(async () => {
      codec = new Transcoder(await ensureProtobufTranscoder());
      ({ http, stop } = await server());
      const res = await http.post('/api/v1/namespaces', { metadata: { name: namespace } });
      if (res.status !== 201) throw new Error(`cannot create namespace ${namespace}: ${res.text}`);
    });
    afterAll(async () => {
      await http?.delete(`/api/v1/namespaces/${namespace}`);
      await stop();
    });

    protobufContract(ctx, () => codec as Transcoder);
  });
}

defineProtobufContract('the protobuf contract on the fake API server', async () => {
  const fake = await startFakeApiServer();
  const http = new ContractHttp(fake.kubeconfigPath);
  return {
    http,
    async stop() {
      await http.close();
      await fake.stop();
    },
  };
});

const cluster = realCluster();
// Where Go is missing there is no real server (outside CI); under CI=true realCluster() throws instead.
if (cluster) {
  defineProtobufContract('the protobuf contract on the real kube-apiserver', async () => {
    const http = new ContractHttp(cluster.kubeconfigPath);
    return { http, stop: () => http.close() };
  });
}
