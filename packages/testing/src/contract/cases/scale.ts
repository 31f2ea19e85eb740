import { describe, expect, it } from 'vitest';
import { type ContractContext, configMaps, deployment, deployments, failure } from './context.js';

const MERGE = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';
const APPLY = 'application/apply-patch+yaml';

/** A Deployment whose selector has an expression, to see how the Scale spells it. */
function selected(name: string) {
  const d = deployment(name);
  return {
    ...d,
    spec: {
      ...d.spec,
      selector: {
        matchLabels: { app: name },
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }],
      },
      template: { ...d.spec.template, metadata: { labels: { app: name, tier: 'a' } } },
    },
  };
}

const scaleEntry = (manager: string, operation: string) => ({
  manager,
  operation,
  apiVersion: 'apps/v1',
  fieldsType: 'FieldsV1',
  fieldsV1: { 'f:spec': { 'f:replicas': {} } },
  subresource: 'scale',
});

export function scaleContract(ctx: ContractContext) {
  describe('scale subresource', () => {
    it('reads a Deployment as an autoscaling/v1 Scale, its selector as a string', async () => {
      const name = ctx.name('deploy');
      const created = await ctx.http().post(deployments(ctx.namespace()), selected(name));
      const res = await ctx.http().get(`${deployments(ctx.namespace())}/${name}/scale`);
      const meta = created.body.metadata;
      expect(res.body).toEqual({
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        metadata: {
          name,
          namespace: ctx.namespace(),
          uid: meta.uid,
          resourceVersion: meta.resourceVersion,
          creationTimestamp: meta.creationTimestamp,
        },
        spec: { replicas: 1 },
        status: { replicas: 0, selector: `app=${name},tier in (a,b)` },
      });
    });

    it('scales through merge, JSON and strategic merge patches and PUT, bumping the generation', async () => {
      const name = ctx.name('deploy');
      const path = `${deployments(ctx.namespace())}/${name}`;
      const created = await ctx.http().post(deployments(ctx.namespace()), deployment(name));
      const merged = await ctx.http().patch(`${path}/scale`, MERGE, { spec: { replicas: 3 } });
      expect(merged.status).toBe(200);
      expect(merged.body.kind).toBe('Scale');
      expect(merged.body.spec).toEqual({ replicas: 3 });
      expect(Number(merged.body.metadata.resourceVersion)).toBeGreaterThan(
        Number(created.body.metadata.resourceVersion),
      );
      const json = await ctx
        .http()
        .patch(`${path}/scale`, JSON_PATCH, [{ op: 'replace', path: '/spec/replicas', value: 4 }]);
      expect(json.body.spec).toEqual({ replicas: 4 });
      const strategic = await ctx.http().patch(`${path}/scale`, STRATEGIC, { spec: { replicas: 5 } });
      expect(strategic.body.spec).toEqual({ replicas: 5 });
      const put = await ctx.http().put(`${path}/scale`, {
        apiVersion: 'autoscaling/v1',
        kind: 'Scale',
        metadata: { name, resourceVersion: strategic.body.metadata.resourceVersion },
        spec: { replicas: 6 },
      });
      expect(put.body.spec).toEqual({ replicas: 6 });
      const parent = await ctx.http().get(path);
      expect(parent.body.spec.replicas).toBe(6);
      expect(parent.body.metadata.generation).toBe(5);
      expect(parent.body.metadata.resourceVersion).toBe(put.body.metadata.resourceVersion);
      // The scale writer owns spec.replicas, in an entry without a time; the creator lost it.
      const [first, ...rest] = parent.body.metadata.managedFields;
      expect(first).toEqual(scaleEntry('kates-contract', 'Update'));
      expect(
        rest.some(
          (e: { fieldsV1: { 'f:spec'?: Record<string, unknown> } }) => e.fieldsV1['f:spec']?.['f:replicas'],
        ),
      ).toBe(false);
    });

    it('answers the errors of a Scale write as the apiserver does', async () => {
      const name = ctx.name('deploy');
      const path = `${deployments(ctx.namespace())}/${name}`;
      await ctx.http().post(deployments(ctx.namespace()), deployment(name));
      const scale = (extra: Record<string, unknown>) => ({
        apiVersion: 'autoscaling/v1',
        kind: 'Scale',
        metadata: { name },
        spec: { replicas: 2 },
        ...extra,
      });
      const stale = await ctx
        .http()
        .put(`${path}/scale`, scale({ metadata: { name, resourceVersion: '1' } }));
      expect(stale.body).toEqual(
        failure(
          409,
          'Conflict',
          `Operation cannot be fulfilled on deployments.apps "${name}": the object has been modified; ` +
            'please apply your changes to the latest version and try again',
          { name, group: 'apps', kind: 'deployments' },
        ),
      );
      const negative = await ctx.http().patch(`${path}/scale`, MERGE, { spec: { replicas: -1 } });
      const cause = {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: -1: must be greater than or equal to 0',
        field: 'spec.replicas',
      };
      expect(negative.body).toEqual(
        failure(422, 'Invalid', `Scale.autoscaling "${name}" is invalid: spec.replicas: ${cause.message}`, {
          name,
          group: 'autoscaling',
          kind: 'Scale',
          causes: [cause],
        }),
      );
      const unnamed = await ctx.http().put(`${path}/scale`, { spec: { replicas: 2 } });
      expect(unnamed.body).toEqual(
        failure(
          400,
          'BadRequest',
          `the name of the object (${name} based on URL) was undeterminable: name must be provided`,
        ),
      );
      const wrongKind = await ctx.http().put(`${path}/scale`, { ...deployment(name), metadata: { name } });
      expect(wrongKind.body.message).toBe(
        'Deployment in version "v1" cannot be handled as a Scale: converting (v1.Deployment) to (autoscaling.Scale): unknown conversion',
      );
      const strict = await ctx
        .http()
        .put(`${path}/scale?fieldValidation=Strict`, scale({ spec: { replicas: 2, foo: 1 } }));
      expect(strict.body.message).toBe(
        'Scale in version "v1" cannot be handled as a Scale: strict decoding error: unknown field "spec.foo"',
      );
      expect((await ctx.http().delete(`${path}/scale`)).status).toBe(405);
      expect((await ctx.http().get(`${deployments(ctx.namespace())}/nope/scale`)).body).toEqual(
        failure(404, 'NotFound', 'deployments.apps "nope" not found', {
          name: 'nope',
          group: 'apps',
          kind: 'deployments',
        }),
      );
      const cm = ctx.name('cm');
      await ctx.http().post(configMaps(ctx.namespace()), { metadata: { name: cm } });
      expect((await ctx.http().get(`${configMaps(ctx.namespace())}/${cm}/scale`)).status).toBe(404);
      expect((await ctx.http().get(path)).body.spec.replicas).toBe(1);
    });

    it('moves replicas out of the main entry on an unchanged Scale, then writes nothing', async () => {
      const name = ctx.name('deploy');
      const path = `${deployments(ctx.namespace())}/${name}`;
      const created = await ctx.http().post(deployments(ctx.namespace()), deployment(name));
      const same = { metadata: { name }, spec: { replicas: 1 } };
      // The apiserver's scale handler keys Update entries by apiVersion: the creator's replicas
      // move into a time-less twin of its entry, which the next write collapses away.
      const first = await ctx.http().put(`${path}/scale`, same);
      expect(Number(first.body.metadata.resourceVersion)).toBeGreaterThan(
        Number(created.body.metadata.resourceVersion),
      );
      const moved = (await ctx.http().get(path)).body.metadata.managedFields;
      expect(moved).toHaveLength(2);
      expect(moved[0]).toEqual({ ...scaleEntry('kates-contract', 'Update'), subresource: undefined });
      expect(moved[1].fieldsV1['f:spec']).not.toHaveProperty('f:replicas');
      const second = await ctx.http().put(`${path}/scale`, same);
      expect(Number(second.body.metadata.resourceVersion)).toBeGreaterThan(
        Number(first.body.metadata.resourceVersion),
      );
      expect((await ctx.http().get(path)).body.metadata.managedFields).toHaveLength(1);
      const third = await ctx.http().put(`${path}/scale`, same);
      expect(third.body.metadata.resourceVersion).toBe(second.body.metadata.resourceVersion);
      // With no owner of replicas left, a change records none either.
      const changed = await ctx.http().put(`${path}/scale`, { ...same, spec: { replicas: 2 } });
      const parent = await ctx.http().get(path);
      expect(parent.body.metadata.resourceVersion).toBe(changed.body.metadata.resourceVersion);
      expect(parent.body.metadata.generation).toBe(2);
      expect(parent.body.metadata.managedFields).toHaveLength(1);
    });

    it('applies a Scale, with conflicts against the scale writer unless forced', async () => {
      const name = ctx.name('deploy');
      const path = `${deployments(ctx.namespace())}/${name}`;
      await ctx.http().post(deployments(ctx.namespace()), deployment(name));
      await ctx.http().patch(`${path}/scale`, MERGE, { spec: { replicas: 2 } });
      const config = {
        apiVersion: 'autoscaling/v1',
        kind: 'Scale',
        metadata: { name },
        spec: { replicas: 8 },
      };
      const conflict = await ctx.http().patch(`${path}/scale?fieldManager=scaler`, APPLY, config);
      expect(conflict.body).toEqual(
        failure(
          409,
          'Conflict',
          'Apply failed with 1 conflict: conflict with "kates-contract" with subresource "scale" using autoscaling/v1: .spec.replicas',
          {
            causes: [
              {
                reason: 'FieldManagerConflict',
                message: 'conflict with "kates-contract" with subresource "scale" using autoscaling/v1',
                field: '.spec.replicas',
              },
            ],
          },
        ),
      );
      const forced = await ctx.http().patch(`${path}/scale?fieldManager=scaler&force=true`, APPLY, config);
      expect(forced.body.spec).toEqual({ replicas: 8 });
      const parent = await ctx.http().get(path);
      expect(parent.body.metadata.managedFields[0]).toEqual(scaleEntry('scaler', 'Apply'));
      // The forced apply took replicas over: the earlier scale writer's entry, left empty, is gone.
      expect(parent.body.metadata.managedFields).not.toContainEqual(scaleEntry('kates-contract', 'Update'));
    });

    it('scales ReplicaSets and StatefulSets too', async () => {
      const template = {
        metadata: { labels: { a: 'b' } },
        spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] },
      };
      const base = `/apis/apps/v1/namespaces/${ctx.namespace()}`;
      const rs = ctx.name('rs');
      await ctx.http().post(`${base}/replicasets`, {
        metadata: { name: rs },
        spec: { replicas: 2, selector: { matchLabels: { a: 'b' } }, template },
      });
      const sts = ctx.name('sts');
      await ctx.http().post(`${base}/statefulsets`, {
        metadata: { name: sts },
        spec: { serviceName: 's', selector: { matchLabels: { a: 'b' } }, template },
      });
      const rsScale = await ctx
        .http()
        .patch(`${base}/replicasets/${rs}/scale`, MERGE, { spec: { replicas: 3 } });
      expect(rsScale.body).toMatchObject({ spec: { replicas: 3 }, status: { replicas: 0, selector: 'a=b' } });
      const stsScale = await ctx.http().get(`${base}/statefulsets/${sts}/scale`);
      expect(stsScale.body).toMatchObject({
        kind: 'Scale',
        spec: { replicas: 1 },
        status: { replicas: 0, selector: 'a=b' },
      });
    });
  });
}
