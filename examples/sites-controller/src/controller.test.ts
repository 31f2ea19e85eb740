import { startFakeApiServer } from '@kates/testing';
import { describeSitesOn } from './__fixtures__/sites-on-server.js';

describeSitesOn('the fake API server', async () => {
  const server = await startFakeApiServer();
  return { kubeconfigPath: server.kubeconfigPath, stop: () => server.stop() };
});
