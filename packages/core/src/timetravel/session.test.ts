import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeApiServer, startFakeApiServer } from '../../../testing/src/fake/index.js';
import { recordControllerSession } from './__fixtures__/controller-session.js';
import { expectFaithfulReplay } from './__fixtures__/faithful.js';
import { parseRecording } from './parse.js';
import { memorySink } from './sink.js';

describe('a controller session on the fake API server', () => {
  let server: FakeApiServer;
  beforeAll(async () => {
    server = await startFakeApiServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('replays with identical snapshots at every step, through watch events, relists, local writes and errors', async () => {
    const sink = memorySink();
    const session = await recordControllerSession(
      {
        kubeconfigPath: server.kubeconfigPath,
        directKubeconfigPath: server.kubeconfigPath,
        async outage(namespace, during) {
          server.faults.stallWatches(60_000, { namespace });
          await during();
          server.faults.compact();
          server.faults.dropWatches({ namespace });
        },
        poison: (namespace, text) => server.faults.injectPoisonLine(text, { namespace }),
      },
      sink,
    );
    const text = sink.text();
    expectFaithfulReplay(session, text, [server.token, 'not-a-real-token-123']);
    expect(readFileSync(server.kubeconfigPath, 'utf8')).toContain(server.token);
    expect(parseRecording(text).actions.some((r) => r.action.type === 'kates/poisonLine')).toBe(true);
  });
});
