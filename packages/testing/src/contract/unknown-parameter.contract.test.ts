import { afterAll, beforeAll, describe } from 'vitest';
import { type FakeApiServer, startFakeApiServer } from '../fake/server.js';
import { unknownParameterContract } from './cases/unknown-parameter.js';
import { ContractHttp } from './http.js';

describe('the contract on the fake API server', () => {
  let server: FakeApiServer;
  let http: ContractHttp;
  beforeAll(async () => {
    server = await startFakeApiServer();
    http = new ContractHttp(server.kubeconfigPath);
  });
  afterAll(async () => {
    await http.close();
    await server.stop();
  });
  unknownParameterContract(
    () => http,
    () => 'default',
    `unknown-param-${Date.now().toString(36)}`,
  );
});
