import { describe, expect, it } from 'vitest';
import { type ContractContext, configMaps, deployment, deployments, RFC3339_SECONDS } from './context.js';
import { CRDS, crdManifest, waitForCrd } from './crd-fixture.js';

// What `kubectl get` asks for, and a fallback it always adds.
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const AGE = /^\d+s$/;

/** Column definitions without their descriptions (long field documentation). */
function columns(body: {
  columnDefinitions: { name: string; type: string; format: string; priority: number }[];
}) {
  return body.columnDefinitions.map((c) => [c.name, c.type, c.format, c.priority]);
}

export function tableContract(ctx: ContractContext) {
  describe('Table output', () => {
    it('lists config maps as a Table with the Name, Data and Age columns and metadata-only rows', async () => {
      const name = ctx.name('cm');
      await ctx.http().post(configMaps(ctx.namespace()), {
        metadata: { name, labels: { t: name } },
        data: { a: '1', b: '2' },
      });
      const res = await ctx
        .http()
        .get(`${configMaps(ctx.namespace())}?labelSelector=t%3D${name}`, { accept: TABLE });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
      expect(res.body.metadata.resourceVersion).toMatch(/^\d+$/);
      expect(columns(res.body)).toEqual([
        ['Name', 'string', 'name', 0],
        ['Data', 'string', '', 0],
        ['Age', 'string', '', 0],
      ]);
      expect(res.body.columnDefinitions[0].description).toMatch(/^Name must be unique within a namespace/);
      expect(res.body.rows).toHaveLength(1);
      const [row] = res.body.rows;
      expect(row.cells).toEqual([name, 2, expect.stringMatching(AGE)]);
      expect(row.object).toMatchObject({
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: { name, namespace: ctx.namespace(), labels: { t: name } },
      });
      expect(row.object.data).toBeUndefined();
    });

    it('puts the whole object in each row with includeObject=Object, and none with includeObject=None', async () => {
      const name = ctx.name('cm');
      await ctx.http().post(configMaps(ctx.namespace()), { metadata: { name }, data: { k: 'v' } });
      const whole = await ctx
        .http()
        .get(`${configMaps(ctx.namespace())}/${name}?includeObject=Object`, { accept: TABLE });
      expect(whole.body.rows[0].object).toMatchObject({
        kind: 'ConfigMap',
        apiVersion: 'v1',
        data: { k: 'v' },
      });
      const none = await ctx
        .http()
        .get(`${configMaps(ctx.namespace())}/${name}?includeObject=None`, { accept: TABLE });
      expect(none.body.rows[0].object).toBeNull();
      expect(none.body.rows[0].cells[0]).toBe(name);
    });

    it("shows a Deployment with the apiserver's columns, the wide ones at priority 1", async () => {
      const name = ctx.name('deploy');
      const created = await ctx.http().post(deployments(ctx.namespace()), deployment(name));
      const res = await ctx.http().get(`${deployments(ctx.namespace())}/${name}`, { accept: TABLE });
      expect(res.body.metadata.resourceVersion).toBe(created.body.metadata.resourceVersion);
      expect(columns(res.body)).toEqual([
        ['Name', 'string', 'name', 0],
        ['Ready', 'string', '', 0],
        ['Up-to-date', 'string', '', 0],
        ['Available', 'string', '', 0],
        ['Age', 'string', '', 0],
        ['Containers', 'string', '', 1],
        ['Images', 'string', '', 1],
        ['Selector', 'string', '', 1],
      ]);
      expect(res.body.rows[0].cells).toEqual([
        name,
        '0/1',
        0,
        0,
        expect.stringMatching(AGE),
        'main',
        'busybox:1.36',
        `app=${name}`,
      ]);
    });

    it('shows kinds without a printer of their own with Name and Created At', async () => {
      const name = ctx.name('limits');
      await ctx.http().post(`/api/v1/namespaces/${ctx.namespace()}/limitranges`, {
        metadata: { name },
        spec: { limits: [{ type: 'Container', max: { cpu: '1' } }] },
      });
      const res = await ctx
        .http()
        .get(`/api/v1/namespaces/${ctx.namespace()}/limitranges/${name}`, { accept: TABLE });
      expect(columns(res.body)).toEqual([
        ['Name', 'string', 'name', 0],
        ['Created At', 'date', '', 0],
      ]);
      expect(res.body.rows[0].cells).toEqual([name, expect.stringMatching(RFC3339_SECONDS)]);
    });

    it("shows custom resources with their CRD's printer columns, null where a path finds nothing", async () => {
      const crd = crdManifest(ctx.name('tbl'));
      await ctx.http().post(CRDS, crd.body);
      try {
        await waitForCrd(ctx.http(), crd);
        const path = `/apis/${crd.group}/v1/namespaces/${ctx.namespace()}/${crd.plural}`;
        await ctx.http().post(path, {
          apiVersion: `${crd.group}/v1`,
          kind: crd.kind,
          metadata: { name: 'full', labels: { a: 'b' } },
          spec: { color: 'blue', size: 3 },
          status: {
            conditions: [
              { type: 'Synced', status: 'False' },
              { type: 'Ready', status: 'True' },
            ],
          },
        });
        await ctx
          .http()
          .post(path, { apiVersion: `${crd.group}/v1`, kind: crd.kind, metadata: { name: 'bare' } });
        const res = await ctx.http().get(path, { accept: TABLE });
        expect(columns(res.body)).toEqual([
          ['Name', 'string', 'name', 0],
          ['Color', 'string', '', 0],
          ['Size', 'integer', '', 0],
          ['Ready', 'string', '', 0],
          ['Labels', 'string', '', 1],
        ]);
        expect(res.body.columnDefinitions[2].description).toBe('How big.');
        expect(res.body.columnDefinitions[1].description).toBe(
          'Custom resource definition column (in JSONPath format): .spec.color',
        );
        expect(res.body.rows.map((r: { cells: unknown[] }) => r.cells)).toEqual([
          ['bare', null, null, null, null],
          ['full', 'blue', 3, 'True', '{"a":"b"}'],
        ]);
      } finally {
        await ctx.http().delete(`${CRDS}/${crd.name}`);
      }
    });
  });
}
