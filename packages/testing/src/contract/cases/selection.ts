import { describe, expect, it } from 'vitest';
import { type ContractContext, configMaps } from './context.js';

export function selectionContract(ctx: ContractContext) {
  describe('label and field selectors', () => {
    const labelSets: (Record<string, string> | undefined)[] = [
      undefined,
      { tier: 'web' },
      { tier: 'db' },
      { tier: '' },
      { tier: 'web', env: 'prod' },
      { env: 'dev' },
    ];
    let group = '';

    async function seeded() {
      if (group) return group;
      group = ctx.name('sel');
      await Promise.all(
        labelSets.map((labels, i) =>
          ctx.http().post(configMaps(ctx.namespace()), {
            metadata: { name: `${group}-${i}`, labels: { ...labels, group } },
          }),
        ),
      );
      return group;
    }

    async function names(query: string) {
      const g = await seeded();
      const sep = query ? ',' : '';
      const res = await ctx
        .http()
        .get(
          `${configMaps(ctx.namespace())}?labelSelector=${encodeURIComponent(`group=${g}${sep}${query}`)}`,
        );
      expect(res.status, `${query}: ${res.text}`).toBe(200);
      return res.body.items
        .map((i: { metadata: { name: string } }) => Number(i.metadata.name.slice(g.length + 1)))
        .sort();
    }

    it('selects by equality, inequality (also objects without the label), in, notin, exists and not exists', async () => {
      expect(await names('tier=web')).toEqual([1, 4]);
      expect(await names('tier==web')).toEqual([1, 4]);
      expect(await names('tier!=web')).toEqual([0, 2, 3, 5]);
      expect(await names('tier=')).toEqual([3]);
      expect(await names('tier in (web,db)')).toEqual([1, 2, 4]);
      expect(await names('tier notin (web)')).toEqual([0, 2, 3, 5]);
      expect(await names('tier')).toEqual([1, 2, 3, 4]);
      expect(await names('!tier')).toEqual([0, 5]);
      expect(await names('tier=web,env=prod')).toEqual([4]);
    });

    it('selects by metadata.name and metadata.namespace fields', async () => {
      const g = await seeded();
      const res = await ctx
        .http()
        .get(`${configMaps(ctx.namespace())}?fieldSelector=${encodeURIComponent(`metadata.name=${g}-2`)}`);
      expect(res.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual([`${g}-2`]);
      const all = await ctx
        .http()
        .get(
          `/api/v1/configmaps?fieldSelector=${encodeURIComponent(
            `metadata.namespace=${ctx.namespace()},metadata.name!=${g}-2`,
          )}&labelSelector=group%3D${g}`,
        );
      expect(all.body.items).toHaveLength(labelSets.length - 1);
    });

    it('answers 400 to a malformed label selector and to a field the resource does not index', async () => {
      const label = await ctx
        .http()
        .get(`${configMaps(ctx.namespace())}?labelSelector=${encodeURIComponent('a==b=c')}`);
      expect(label.status).toBe(400);
      expect(label.body.reason).toBe('BadRequest');
      const field = await ctx.http().get(`${configMaps(ctx.namespace())}?fieldSelector=data.x%3D1`);
      expect(field.status).toBe(400);
      expect(field.body).toMatchObject({
        reason: 'BadRequest',
        message: '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"',
      });
      const pods = await ctx.http().get(`/api/v1/namespaces/${ctx.namespace()}/pods?fieldSelector=x%3D1`);
      expect(pods.body).toMatchObject({ reason: 'BadRequest', message: 'field label not supported: x' });
      const phase = await ctx
        .http()
        .get(
          `/api/v1/namespaces/${ctx.namespace()}/pods?fieldSelector=${encodeURIComponent(
            'status.phase=Running,spec.nodeName=',
          )}`,
        );
      expect(phase.status).toBe(200);
    });
  });

  describe('paged lists', () => {
    it('pages with limit and continue through a consistent snapshot', async () => {
      const g = ctx.name('page');
      const made = [];
      for (let i = 0; i < 5; i++) {
        made.push(
          (
            await ctx.http().post(configMaps(ctx.namespace()), {
              metadata: { name: `${g}-${i}`, labels: { g } },
              data: { v: '0' },
            })
          ).body,
        );
      }
      const base = `${configMaps(ctx.namespace())}?labelSelector=g%3D${g}`;
      const first = await ctx.http().get(`${base}&limit=2`);
      expect(first.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual([
        `${g}-0`,
        `${g}-1`,
      ]);
      const listRv = first.body.metadata.resourceVersion;
      expect(first.body.metadata.continue).toEqual(expect.any(String));
      expect(first.body.metadata.remainingItemCount).toBeUndefined();
      // Changes after the first page must not show in the next ones: they read the first page's snapshot.
      await ctx
        .http()
        .patch(`${configMaps(ctx.namespace())}/${g}-2`, 'application/merge-patch+json', { data: { v: '1' } });
      await ctx.http().delete(`${configMaps(ctx.namespace())}/${g}-3`);
      const second = await ctx
        .http()
        .get(`${base}&limit=2&continue=${encodeURIComponent(first.body.metadata.continue)}`);
      expect(second.body.metadata.resourceVersion).toBe(listRv);
      expect(
        second.body.items.map((i: { metadata: { name: string }; data: { v: string } }) => [
          i.metadata.name,
          i.data.v,
        ]),
      ).toEqual([
        [`${g}-2`, '0'],
        [`${g}-3`, '0'],
      ]);
      const third = await ctx
        .http()
        .get(`${base}&limit=2&continue=${encodeURIComponent(second.body.metadata.continue)}`);
      expect(third.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual([
        `${g}-4`,
      ]);
      expect(third.body.metadata.continue).toBeUndefined();
      const now = await ctx.http().get(base);
      expect(now.body.items).toHaveLength(4);
      expect(Number(now.body.metadata.resourceVersion)).toBeGreaterThan(Number(listRv));
    });

    it('counts the remaining items when no selector narrows the list', async () => {
      const ns = ctx.name('pagens');
      await ctx.http().post('/api/v1/namespaces', { metadata: { name: ns } });
      for (let i = 0; i < 3; i++)
        await ctx.http().post(`/api/v1/namespaces/${ns}/secrets`, { metadata: { name: `s${i}` } });
      const page = await ctx.http().get(`/api/v1/namespaces/${ns}/secrets?limit=1`);
      expect(page.body.metadata.remainingItemCount).toBe(2);
      expect(page.body.kind).toBe('SecretList');
      await ctx.http().delete(`/api/v1/namespaces/${ns}`);
    });

    it('lists the state at an exact older resourceVersion, and refuses one from the future', async () => {
      const name = ctx.name('exact');
      const v1 = await ctx
        .http()
        .post(configMaps(ctx.namespace()), { metadata: { name, labels: { exact: name } }, data: { v: '1' } });
      await ctx.http().patch(`${configMaps(ctx.namespace())}/${name}`, 'application/merge-patch+json', {
        data: { v: '2' },
      });
      const rv = v1.body.metadata.resourceVersion;
      const old = await ctx
        .http()
        .get(
          `${configMaps(ctx.namespace())}?labelSelector=exact%3D${name}&resourceVersion=${rv}` +
            '&resourceVersionMatch=Exact',
        );
      expect(old.status).toBe(200);
      expect(old.body.metadata.resourceVersion).toBe(rv);
      expect(old.body.items.map((i: { data: { v: string } }) => i.data.v)).toEqual(['1']);
      const future = await ctx.http().get(`${configMaps(ctx.namespace())}?resourceVersion=999999999`);
      expect(future.status).toBe(504);
      expect(future.body).toMatchObject({
        reason: 'Timeout',
        code: 504,
        details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }] },
      });
    }, 15_000);

    it('answers 400 to a continue token that is not one', async () => {
      const res = await ctx.http().get(`${configMaps(ctx.namespace())}?limit=1&continue=garbage`);
      expect(res.status).toBe(400);
      expect(res.body.reason).toBe('BadRequest');
      expect(res.body.message).toMatch(/^invalid continue token: continue key is not valid/);
    });
  });
}
