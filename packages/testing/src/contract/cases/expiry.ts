import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExpiringServer } from '../target.js';
import type { ContractContext } from './context.js';

export function expiryContract(ctx: ContractContext) {
  describe('expired resourceVersions', () => {
    let server: ExpiringServer;
    let oldRv: string;
    let continueToken: string;

    beforeAll(async () => {
      server = await ctx.target().expiringServer();
      const path = '/api/v1/namespaces/default/configmaps';
      const first = await server.http.post(path, { metadata: { name: 'old' } });
      oldRv = first.body.metadata.resourceVersion;
      for (let i = 0; i < 3; i++) {
        await server.http.patch(`${path}/old`, 'application/merge-patch+json', { data: { i: String(i) } });
        await server.http.post(path, { metadata: { name: `more-${i}` } });
      }
      const page = await server.http.get(`${path}?limit=1`);
      continueToken = page.body.metadata.continue;
      await server.http.patch(`${path}/old`, 'application/merge-patch+json', { data: { i: 'last' } });
      await server.expireHistory();
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('answers a watch from a compacted resourceVersion with 200 and one ERROR event: 410 Expired', async () => {
      const watch = await server.http.watch('/api/v1/namespaces/default/configmaps', {
        resourceVersion: oldRv,
      });
      await Promise.race([watch.ended, new Promise((r) => setTimeout(r, 10_000))]);
      watch.close();
      expect(watch.status).toBe(200);
      expect(watch.lines).toHaveLength(1);
      expect(watch.lines[0]?.type).toBe('ERROR');
      expect(watch.lines[0]?.object).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: expect.stringMatching(new RegExp(`^too old resource version: ${oldRv} \\(\\d+\\)$`)),
        reason: 'Expired',
        code: 410,
      });
    });

    it('answers 410 Expired to a continue token from before the compaction', async () => {
      const res = await server.http.get(
        `/api/v1/namespaces/default/configmaps?limit=1&continue=${encodeURIComponent(continueToken)}`,
      );
      expect(res.status).toBe(410);
      expect(res.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 });
      expect(res.body.message).toMatch(
        /^The provided continue parameter is too old to display a consistent list result/,
      );
    });

    it('still serves a watch from the current resourceVersion', async () => {
      const list = await server.http.get('/api/v1/namespaces/default/configmaps');
      const watch = await server.http.watch('/api/v1/namespaces/default/configmaps', {
        resourceVersion: list.body.metadata.resourceVersion,
      });
      await server.http.post('/api/v1/namespaces/default/configmaps', { metadata: { name: 'fresh' } });
      const lines = await watch.until((l) => l.some((e) => e.object?.metadata?.name === 'fresh'));
      watch.close();
      expect(lines.map((l) => l.type)).toEqual(['ADDED']);
    });
  });
}
