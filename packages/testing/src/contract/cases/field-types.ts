import { describe, expect, it } from 'vitest';
import { type ContractContext, configMaps, deployment, deployments, failure } from './context.js';

const cannotHandle = (kind: string, why: string) =>
  failure(400, 'BadRequest', `${kind} in version "v1" cannot be handled as a ${kind}: ${why}`);

export function fieldTypesContract(ctx: ContractContext) {
  describe('value types of built-in kinds', () => {
    it('refuse a body with a number or a boolean where a string belongs, with 400', async () => {
      const ns = ctx.namespace();
      const number = await ctx
        .http()
        .post(configMaps(ns), { metadata: { name: ctx.name('cm') }, data: { a: 1 } });
      expect(number.body).toEqual(
        cannotHandle(
          'ConfigMap',
          'json: cannot unmarshal number into Go struct field ConfigMap.data of type string',
        ),
      );
      const label = await ctx
        .http()
        .post(configMaps(ns), { metadata: { name: ctx.name('cm'), labels: { enabled: true } } });
      expect(label.body).toEqual(
        cannotHandle(
          'ConfigMap',
          'json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string',
        ),
      );
      const list = await ctx.http().post(configMaps(ns), { metadata: { name: ctx.name('cm') }, data: ['a'] });
      expect(list.body).toEqual(
        cannotHandle(
          'ConfigMap',
          'json: cannot unmarshal array into Go struct field ConfigMap.data of type map[string]string',
        ),
      );
    });

    it('refuse replicas that are not an int32, and nested fields of the wrong type, naming their struct', async () => {
      const ns = ctx.namespace();
      const text = deployment(ctx.name('deploy'));
      const asString = await ctx
        .http()
        .post(deployments(ns), { ...text, spec: { ...text.spec, replicas: '3' } });
      expect(asString.body).toEqual(
        cannotHandle(
          'Deployment',
          'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
        ),
      );
      const fraction = await ctx
        .http()
        .post(deployments(ns), { ...text, spec: { ...text.spec, replicas: 1.5 } });
      expect(fraction.body).toEqual(
        cannotHandle(
          'Deployment',
          'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32',
        ),
      );
      const image = deployment(ctx.name('deploy'));
      (image.spec.template.spec.containers[0] as Record<string, unknown>).image = 7;
      const nested = await ctx.http().post(deployments(ns), image);
      expect(nested.body).toEqual(
        cannotHandle(
          'Deployment',
          'json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.image of type string',
        ),
      );
    });

    it('take numbers for quantities (resource limits), which the models spell as strings', async () => {
      const d = deployment(ctx.name('deploy'));
      (d.spec.template.spec.containers[0] as Record<string, unknown>).resources = { limits: { cpu: 1 } };
      const created = await ctx.http().post(deployments(ctx.namespace()), d);
      expect(created.status).toBe(201);
      expect(created.body.spec.template.spec.containers[0].resources).toEqual({ limits: { cpu: '1' } });
    });

    it('refuse negative replicas with 422', async () => {
      const name = ctx.name('deploy');
      const d = deployment(name);
      const res = await ctx
        .http()
        .post(deployments(ctx.namespace()), { ...d, spec: { ...d.spec, replicas: -1 } });
      expect(res.body).toEqual(
        failure(
          422,
          'Invalid',
          `Deployment.apps "${name}" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`,
          {
            name,
            group: 'apps',
            kind: 'Deployment',
            causes: [
              {
                reason: 'FieldValueInvalid',
                message: 'Invalid value: -1: must be greater than or equal to 0',
                field: 'spec.replicas',
              },
            ],
          },
        ),
      );
    });

    it('refuse an apply configuration with a value of the wrong type, with 500 as the typed patch fails', async () => {
      const ns = ctx.namespace();
      const name = ctx.name('applied');
      const apply = (path: string, body: Record<string, unknown>) =>
        ctx.http().patch(`${path}/${name}?fieldManager=contract`, 'application/apply-patch+yaml', {
          ...body,
          metadata: { name },
        });
      const text = await apply(configMaps(ns), {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        data: { a: 1 },
      });
      expect(text.status).toBe(500);
      expect(text.body.message).toBe(
        `failed to create typed patch object (/${name}; /v1, Kind=ConfigMap): .data.a: expected string, got &value.valueUnstructured{Value:1}`,
      );
      const d = deployment(name);
      const replicas = await apply(deployments(ns), {
        ...d,
        spec: { ...d.spec, replicas: '3' },
      });
      expect(replicas.body.message).toBe(
        `failed to create typed patch object (/${name}; apps/v1, Kind=Deployment): .spec.replicas: expected numeric (int or float), got string`,
      );
      (d.spec.template.spec.containers[0] as Record<string, unknown>).image = 5;
      const image = await apply(deployments(ns), d);
      expect(image.body.message).toBe(
        `failed to create typed patch object (/${name}; apps/v1, Kind=Deployment): .spec.template.spec.containers[name="main"].image: expected string, got &value.valueUnstructured{Value:5}`,
      );
    });

    it('refuse a patch that leaves a value of the wrong type, in the words of each patch type', async () => {
      const name = ctx.name('cm');
      const path = `${configMaps(ctx.namespace())}/${name}`;
      await ctx.http().post(configMaps(ctx.namespace()), { metadata: { name }, data: { a: 'x' } });
      const strategic = await ctx
        .http()
        .patch(path, 'application/strategic-merge-patch+json', { data: { a: 1 } });
      const message = 'Invalid value: "map[data:map[a:1]]": cannot convert int64 to string';
      expect(strategic.body).toEqual(
        failure(422, 'Invalid', ` "" is invalid: patch: ${message}`, {
          causes: [{ reason: 'FieldValueInvalid', message, field: 'patch' }],
        }),
      );
      const merge = await ctx.http().patch(path, 'application/merge-patch+json', { data: { a: true } });
      expect(merge.status).toBe(422);
      expect(merge.body.message).toMatch(
        /^ "" is invalid: patch: Invalid value: "\{\\"apiVersion\\":\\"v1\\",\\"data\\":\{\\"a\\":true\},\\"kind\\":\\"ConfigMap\\",\\"metadata\\":.*\}": json: cannot unmarshal bool into Go struct field ConfigMap.data of type string$/,
      );
      const read = await ctx.http().get(path);
      expect(read.body.data).toEqual({ a: 'x' });
    });
  });
}
