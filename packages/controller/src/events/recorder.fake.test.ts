import { startFakeApiServer } from '@kates/testing';
import { describeRecorderOn } from './__fixtures__/recorder-on-server.js';

describeRecorderOn('the fake API server', async () => {
  const server = await startFakeApiServer();
  return { kubeconfigPath: server.kubeconfigPath, stop: () => server.stop() };
});
