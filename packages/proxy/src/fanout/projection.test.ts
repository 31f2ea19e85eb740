import { afterAll, beforeAll, describe } from 'vitest';
import { type FakeApiServer, startFakeApiServer } from '../../../testing/src/fake/index.js';
import { projectionCases } from '../__fixtures__/projection-cases.js';

describe('projected lists and watches through the proxy, on the fake API server', () => {
  let api: FakeApiServer;
  beforeAll(async () => {
    api = await startFakeApiServer();
  });
  afterAll(() => api.stop());
  projectionCases(() => api.kubeconfigPath);
});
