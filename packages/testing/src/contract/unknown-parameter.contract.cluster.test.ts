import { afterAll, beforeAll, describe } from 'vitest';
import { realCluster } from '../vitest/cluster.js';
import { unknownParameterContract } from './cases/unknown-parameter.js';
import { ContractHttp } from './http.js';

const cluster = realCluster();

describe.skipIf(!cluster)('the contract on the real kube-apiserver', () => {
  let http: ContractHttp;
  beforeAll(() => {
    http = new ContractHttp(cluster!.kubeconfigPath);
  });
  afterAll(() => http.close());
  unknownParameterContract(
    () => http,
    () => 'default',
    `unknown-param-${Date.now().toString(36)}`,
  );
});
