import { startFakeApiServer } from '@kates/testing';
import { describe, expect, it } from 'vitest';
import { seedOf } from '../objects.js';
import { type Collection, serverDigest } from '../scenarios/context.js';
import { readCollectionOnce } from './read-once.js';

describe('reading a collection of the in-memory server once', () => {
  it('reads a collection once and tells the digest a metadata LIST gives', async () => {
    const collections: Collection[] = [
      { kind: 'Pod', namespace: 'once-pods', n: 40 },
      { kind: 'ConfigMap', namespace: 'once-cms', n: 2500 },
    ];
    const server = await startFakeApiServer({ seed: seedOf(collections) });
    try {
      const listed = {
        name: 'fake',
        kubeconfigPath: server.kubeconfigPath,
        setupMs: 0,
        stop: async () => {},
      } as const;
      for (const c of collections) {
        const read = await readCollectionOnce(server.kubeconfigPath, c);
        expect(read?.count, c.namespace).toBe(c.n);
        expect(read, c.namespace).toEqual(await serverDigest({ server: listed, log: () => {} }, c));
      }
    } finally {
      await server.stop();
    }
  });
});
