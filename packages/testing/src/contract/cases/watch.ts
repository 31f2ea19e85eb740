import { describe, expect, it } from 'vitest';
import { describe as show, type WatchLine } from '../http.js';
import { type ContractContext, configMaps } from './context.js';

const named = (name: string) => (l: WatchLine) => l.object?.metadata?.name === name;
const rvOf = (l: WatchLine) => Number(l.object?.metadata?.resourceVersion);

export function watchContract(ctx: ContractContext) {
  describe('watch', () => {
    it('delivers ADDED, MODIFIED and DELETED in order, from a list resourceVersion', async () => {
      const g = ctx.name('w');
      const list = await ctx.http().get(configMaps(ctx.namespace()));
      const watch = await ctx.http().watch(configMaps(ctx.namespace()), {
        resourceVersion: list.body.metadata.resourceVersion,
        labelSelector: `g=${g}`,
      });
      expect(watch.status).toBe(200);
      expect(watch.headers.get('content-type')).toBe('application/json');
      const path = `${configMaps(ctx.namespace())}/${g}`;
      const created = await ctx
        .http()
        .post(configMaps(ctx.namespace()), { metadata: { name: g, labels: { g } } });
      const updated = await ctx.http().patch(path, 'application/merge-patch+json', { data: { a: '1' } });
      await ctx.http().delete(path);
      const lines = await watch.until((l) => l.some((e) => e.type === 'DELETED'));
      watch.close();
      expect(
        lines.map((l) => l.type),
        show(lines),
      ).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
      expect(lines[0]?.object).toEqual(created.body);
      expect(lines[1]?.object).toEqual(updated.body);
      expect(rvOf(lines[2] as WatchLine)).toBeGreaterThan(rvOf(lines[1] as WatchLine));
      expect(lines[2]?.object.data).toEqual({ a: '1' });
    });

    it('turns leaving a selector into DELETED and entering it into ADDED', async () => {
      const name = ctx.name('w');
      const path = `${configMaps(ctx.namespace())}/${name}`;
      const created = await ctx
        .http()
        .post(configMaps(ctx.namespace()), { metadata: { name, labels: { sel: 'yes' } } });
      const watch = await ctx.http().watch(configMaps(ctx.namespace()), {
        resourceVersion: created.body.metadata.resourceVersion,
        labelSelector: 'sel=yes',
      });
      const out = await ctx
        .http()
        .patch(path, 'application/merge-patch+json', { metadata: { labels: { sel: 'no' } } });
      const back = await ctx
        .http()
        .patch(path, 'application/merge-patch+json', { metadata: { labels: { sel: 'yes' } } });
      const lines = await watch.until((l) => l.filter(named(name)).length >= 2);
      watch.close();
      const mine = lines.filter(named(name));
      expect(mine.map((l) => l.type)).toEqual(['DELETED', 'ADDED']);
      // The DELETED carries the last state that matched, at the version that made it leave.
      expect(mine[0]?.object.metadata.labels).toEqual({ sel: 'yes' });
      expect(mine[0]?.object.metadata.resourceVersion).toBe(out.body.metadata.resourceVersion);
      expect(mine[1]?.object).toEqual(back.body);
    });

    it('starts a watch without resourceVersion with the current objects, then the initial-events-end bookmark', async () => {
      const g = ctx.name('w');
      await ctx.http().post(configMaps(ctx.namespace()), { metadata: { name: `${g}-a`, labels: { g } } });
      await ctx.http().post(configMaps(ctx.namespace()), { metadata: { name: `${g}-b`, labels: { g } } });
      const watch = await ctx
        .http()
        .watch(configMaps(ctx.namespace()), { labelSelector: `g=${g}`, allowWatchBookmarks: 'true' });
      const lines = await watch.until((l) => l.some((e) => e.type === 'BOOKMARK'));
      watch.close();
      expect(lines.map((l) => l.type)).toEqual(['ADDED', 'ADDED', 'BOOKMARK']);
      expect(
        lines
          .slice(0, 2)
          .map((l) => l.object.metadata.name)
          .sort(),
      ).toEqual([`${g}-a`, `${g}-b`]);
      const bookmark = lines[2] as WatchLine;
      expect(bookmark.object).toEqual({
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: {
          resourceVersion: expect.stringMatching(/^\d+$/),
          annotations: { 'k8s.io/initial-events-end': 'true' },
        },
      });
      expect(rvOf(bookmark)).toBeGreaterThanOrEqual(Math.max(...lines.slice(0, 2).map(rvOf)));
    });

    it('streams the initial state with sendInitialEvents, ending it with an annotated bookmark', async () => {
      const g = ctx.name('w');
      await ctx.http().post(configMaps(ctx.namespace()), { metadata: { name: g, labels: { g } } });
      const watch = await ctx.http().watch(configMaps(ctx.namespace()), {
        labelSelector: `g=${g}`,
        sendInitialEvents: 'true',
        resourceVersionMatch: 'NotOlderThan',
        allowWatchBookmarks: 'true',
      });
      const lines = await watch.until((l) => l.some((e) => e.type === 'BOOKMARK'));
      expect(lines.map((l) => l.type)).toEqual(['ADDED', 'BOOKMARK']);
      expect(lines[1]?.object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
      await ctx
        .http()
        .patch(`${configMaps(ctx.namespace())}/${g}`, 'application/merge-patch+json', { data: { x: 'y' } });
      await watch.until((l) => l.some((e) => e.type === 'MODIFIED'));
      watch.close();
    });

    it('answers 422 to sendInitialEvents without resourceVersionMatch=NotOlderThan', async () => {
      const res = await ctx
        .http()
        .get(`${configMaps(ctx.namespace())}?watch=1&sendInitialEvents=true&allowWatchBookmarks=true`);
      expect(res.status).toBe(422);
      expect(res.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting ' +
          'resourceVersionMatch to NotOlderThan',
        reason: 'Invalid',
        details: {
          group: 'meta.k8s.io',
          kind: 'ListOptions',
          causes: [
            {
              reason: 'FieldValueForbidden',
              message:
                'Forbidden: sendInitialEvents requires setting resourceVersionMatch ' + 'to NotOlderThan',
              field: 'resourceVersionMatch',
            },
          ],
        },
        code: 422,
      });
    });

    it('sends a bookmark with a newer resourceVersion before timeoutSeconds ends the watch', async () => {
      const g = ctx.name('w');
      const list = await ctx.http().get(configMaps(ctx.namespace()));
      const watch = await ctx.http().watch(configMaps(ctx.namespace()), {
        resourceVersion: list.body.metadata.resourceVersion,
        labelSelector: `g=${g}`,
        allowWatchBookmarks: 'true',
        timeoutSeconds: '4',
      });
      const started = Date.now();
      const other = await ctx
        .http()
        .post(configMaps(ctx.namespace()), { metadata: { name: ctx.name('other') } });
      await watch.ended;
      const elapsed = Date.now() - started;
      const bookmarks = watch.lines.filter((l) => l.type === 'BOOKMARK');
      expect(
        watch.lines.filter((l) => l.type !== 'BOOKMARK'),
        show(watch.lines),
      ).toEqual([]);
      expect(bookmarks.length, show(watch.lines)).toBeGreaterThanOrEqual(1);
      expect(bookmarks.at(-1)?.object).toEqual({
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: { resourceVersion: expect.stringMatching(/^\d+$/) },
      });
      expect(rvOf(bookmarks.at(-1) as WatchLine)).toBeGreaterThanOrEqual(
        Number(other.body.metadata.resourceVersion),
      );
      expect(elapsed).toBeGreaterThan(3000);
      expect(elapsed).toBeLessThan(8000);
    });
  });
}
