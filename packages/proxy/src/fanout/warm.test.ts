import { afterAll, beforeAll, describe } from 'vitest';
import { type FakeApiServer, startFakeApiServer } from '../../../testing/src/fake/index.js';
import { warmCases } from '../__fixtures__/warm-cases.js';

describe('a proxy with warm caches, on the fake API server', () => {
  let api: FakeApiServer;
  beforeAll(async () => {
    api = await startFakeApiServer();
  });
  afterAll(() => api.stop());
  warmCases(() => api.kubeconfigPath);
});
