import { describe, expect, it } from 'vitest';
import { describe as show } from '../http.js';
import { type ContractContext, configMaps, deployment, deployments, failure } from './context.js';

const LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
const ONE = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
const ONLY_MEDIA_TYPES =
  'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf';

/**
 * Metadata-only reads (`Accept: ...;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1`, and
 * `as=PartialObjectMetadata` for watches and GETs), as controller-runtime's metadata informers and
 * kates' `metadataOnly` queries use them: the same objects, with their whole `metadata` and nothing else.
 */
export function metadataOnlyContract(ctx: ContractContext) {
  describe('metadata-only reads (PartialObjectMetadata)', () => {
    async function seeded(n: number) {
      const group = ctx.name('meta');
      const created = [];
      for (let i = 0; i < n; i++) {
        const res = await ctx.http().post(configMaps(ctx.namespace()), {
          metadata: { name: `${group}-${i}`, labels: { group }, annotations: { note: `n${i}` } },
          data: { secret: 'not in a metadata answer' },
        });
        expect(res.status, res.text).toBe(201);
        created.push(res.body);
      }
      return { group, created };
    }

    it('lists PartialObjectMetadata items that carry the whole metadata and nothing else, page by page', async () => {
      const { group, created } = await seeded(3);
      const path = `${configMaps(ctx.namespace())}?labelSelector=group%3D${group}&limit=2`;
      const first = await ctx.http().get(path, { accept: LIST });
      expect(first.status, first.text).toBe(200);
      expect(first.headers.get('content-type')).toBe('application/json');
      expect(first.body.kind).toBe('PartialObjectMetadataList');
      expect(first.body.apiVersion).toBe('meta.k8s.io/v1');
      expect(first.body.metadata.resourceVersion).toMatch(/^\d+$/);
      expect(first.body.metadata.continue).toBeTruthy();
      const next = await ctx
        .http()
        .get(`${path}&continue=${encodeURIComponent(first.body.metadata.continue)}`, { accept: LIST });
      expect(next.body.kind).toBe('PartialObjectMetadataList');
      expect(next.body.metadata.continue ?? '').toBe('');
      const items = [...first.body.items, ...next.body.items];
      expect(items).toEqual(
        created.map((c) => ({
          kind: 'PartialObjectMetadata',
          apiVersion: 'meta.k8s.io/v1',
          metadata: c.metadata,
        })),
      );
    });

    it('answers in meta.k8s.io/v1beta1 when asked, and takes the first media range it can serve', async () => {
      const { group } = await seeded(1);
      const path = `${configMaps(ctx.namespace())}?labelSelector=group%3D${group}`;
      const beta = await ctx.http().get(path, { accept: LIST.replace('v=v1', 'v=v1beta1') });
      expect(beta.body.apiVersion).toBe('meta.k8s.io/v1beta1');
      expect(beta.body.items[0].apiVersion).toBe('meta.k8s.io/v1beta1');
      // An unknown conversion is skipped: the plain list of the next range.
      const plain = await ctx
        .http()
        .get(path, { accept: 'application/json;as=Nothing;g=meta.k8s.io;v=v1,application/json' });
      expect(plain.body.kind).toBe('ConfigMapList');
      expect(plain.body.items[0].data).toEqual({ secret: 'not in a metadata answer' });
    });

    it('refuses with 406 what it cannot convert: only unknown conversions, a list as one object, one object as a list', async () => {
      const { group, created } = await seeded(1);
      const list = `${configMaps(ctx.namespace())}?labelSelector=group%3D${group}`;
      const unknown = await ctx
        .http()
        .get(list, { accept: 'application/json;as=Nothing;g=meta.k8s.io;v=v1' });
      expect(unknown.status).toBe(406);
      expect(unknown.body).toEqual(failure(406, 'NotAcceptable', ONLY_MEDIA_TYPES));
      const wrongGroup = await ctx.http().get(list, { accept: LIST.replace('g=meta.k8s.io', 'g=apps') });
      expect(wrongGroup.status).toBe(406);
      const listAsOne = await ctx.http().get(list, { accept: ONE });
      expect(listAsOne.status).toBe(406);
      expect(listAsOne.body.message).toBe(
        'you requested PartialObjectMetadata, but the requested object is a list (*core.ConfigMapList)',
      );
      const one = `${configMaps(ctx.namespace())}/${created[0].metadata.name}`;
      const oneAsList = await ctx.http().get(one, { accept: LIST });
      expect(oneAsList.status).toBe(406);
      expect(oneAsList.body.message).toBe(
        'you requested PartialObjectMetadataList, but the requested object is not a list (*core.ConfigMap)',
      );
      const apps = await ctx.http().get(deployments(ctx.namespace()), { accept: ONE });
      expect(apps.body.message).toBe(
        'you requested PartialObjectMetadata, but the requested object is a list (*apps.DeploymentList)',
      );
    });

    it('gets one object as PartialObjectMetadata', async () => {
      const name = ctx.name('meta-deploy');
      const created = await ctx.http().post(deployments(ctx.namespace()), deployment(name));
      expect(created.status, created.text).toBe(201);
      const res = await ctx.http().get(`${deployments(ctx.namespace())}/${name}`, { accept: ONE });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: created.body.metadata,
      });
    });

    it('watches PartialObjectMetadata: events and bookmarks, the initial-events-end one included', async () => {
      const { group, created } = await seeded(1);
      const watch = await ctx.http().watch(
        configMaps(ctx.namespace()),
        {
          labelSelector: `group=${group}`,
          allowWatchBookmarks: 'true',
          sendInitialEvents: 'true',
          resourceVersionMatch: 'NotOlderThan',
          resourceVersion: '',
        },
        { accept: ONE },
      );
      expect(watch.status).toBe(200);
      const initialEnd = (lines: typeof watch.lines) =>
        lines.some(
          (l) =>
            l.type === 'BOOKMARK' &&
            l.object?.metadata?.annotations?.['k8s.io/initial-events-end'] === 'true',
        );
      await watch.until(initialEnd);
      const path = `${configMaps(ctx.namespace())}/${created[0].metadata.name}`;
      const patched = await ctx
        .http()
        .patch(path, 'application/merge-patch+json', { metadata: { labels: { step: '2' } } });
      await ctx.http().delete(path);
      const lines = await watch.until((l) => l.some((e) => e.type === 'DELETED'));
      watch.close();
      const events = lines.filter((l) => l.type !== 'BOOKMARK');
      expect(
        events.map((l) => l.type),
        show(lines),
      ).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
      for (const l of lines) {
        expect(l.object.kind).toBe('PartialObjectMetadata');
        expect(l.object.apiVersion).toBe('meta.k8s.io/v1');
        expect(Object.keys(l.object).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
      }
      expect(events[0]?.object.metadata).toEqual(created[0].metadata);
      expect(events[1]?.object.metadata).toEqual(patched.body.metadata);
      const end = lines.find((l) => l.type === 'BOOKMARK');
      expect(Object.keys(end?.object.metadata ?? {}).sort()).toEqual(['annotations', 'resourceVersion']);
    });
  });
}
