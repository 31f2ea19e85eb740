import { describe, expect, it } from 'vitest';
import { type ContractContext, configMaps, deployment, deployments, failure } from './context.js';

const MERGE = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';
const APPLY = 'application/apply-patch+yaml';

/** A Deployment whose one container has a misspelt field. */
function misspelt(name: string) {
  const d = deployment(name);
  return {
    ...d,
    spec: {
      ...d.spec,
      template: {
        ...d.spec.template,
        spec: { containers: [{ name: 'main', image: 'busybox:1.36', imagee: 'x' }] },
      },
    },
  };
}

/** The `Warning` header of an answer with one warning per text, as undici joins repeated headers. */
export function warningsOf(...texts: string[]): string {
  return texts.map((t) => `299 - ${JSON.stringify(t)}`).join(', ');
}

export function fieldValidationContract(ctx: ContractContext) {
  describe('field validation of built-in kinds', () => {
    it('refuses unknown fields under Strict with 400, naming each in the order sent, and creates nothing', async () => {
      const name = ctx.name('cm');
      const res = await ctx.http().post(`${configMaps(ctx.namespace())}?fieldValidation=Strict`, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, foo: 1 },
        dat: {},
        data: { a: '1' },
        zzz: 1,
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(
        failure(
          400,
          'BadRequest',
          'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: ' +
            'unknown field "metadata.foo", unknown field "dat", unknown field "zzz"',
        ),
      );
      expect((await ctx.http().get(`${configMaps(ctx.namespace())}/${name}`)).status).toBe(404);
    });

    it('names nested unknown fields by their path, status included, on create and on PUT of /status', async () => {
      const name = ctx.name('deploy');
      const strict = await ctx.http().post(`${deployments(ctx.namespace())}?fieldValidation=Strict`, {
        ...misspelt(name),
        status: { foo: 1 },
      });
      expect(strict.body.message).toBe(
        'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: ' +
          'unknown field "spec.template.spec.containers[0].imagee", unknown field "status.foo"',
      );
      const created = await ctx.http().post(deployments(ctx.namespace()), deployment(name));
      const status = await ctx
        .http()
        .put(`${deployments(ctx.namespace())}/${name}/status?fieldValidation=Strict`, {
          ...created.body,
          status: { foo: 1 },
        });
      expect(status.status).toBe(400);
      expect(status.body.message).toBe(
        'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "status.foo"',
      );
    });

    it('drops unknown fields under Warn, the default, with one Warning header each', async () => {
      const name = ctx.name('cm');
      const res = await ctx.http().post(configMaps(ctx.namespace()), {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, foo: 1 },
        dat: {},
        data: { a: '1' },
      });
      expect(res.status).toBe(201);
      expect(res.headers.get('warning')).toBe(
        warningsOf('unknown field "metadata.foo"', 'unknown field "dat"'),
      );
      expect(res.body.data).toEqual({ a: '1' });
      expect(res.body).not.toHaveProperty('dat');
      expect(res.body.metadata).not.toHaveProperty('foo');
      const put = await ctx.http().put(`${configMaps(ctx.namespace())}/${name}?fieldValidation=Warn`, {
        ...res.body,
        dat: {},
        data: { b: '2' },
      });
      expect(put.status).toBe(200);
      expect(put.headers.get('warning')).toBe(warningsOf('unknown field "dat"'));
      expect(put.body.data).toEqual({ b: '2' });
      const nested = await ctx.http().post(deployments(ctx.namespace()), misspelt(ctx.name('deploy')));
      expect(nested.headers.get('warning')).toBe(
        warningsOf('unknown field "spec.template.spec.containers[0].imagee"'),
      );
      expect(nested.body.spec.template.spec.containers[0]).not.toHaveProperty('imagee');
    });

    it('drops unknown fields silently under Ignore', async () => {
      const name = ctx.name('cm');
      const res = await ctx
        .http()
        .post(`${configMaps(ctx.namespace())}?fieldValidation=Ignore`, { metadata: { name }, dat: {} });
      expect(res.status).toBe(201);
      expect(res.headers.get('warning')).toBeNull();
      expect(res.body).not.toHaveProperty('dat');
    });

    it('answers 422 to a fieldValidation it does not know', async () => {
      const res = await ctx
        .http()
        .post(`${configMaps(ctx.namespace())}?fieldValidation=Bogus`, { metadata: { name: ctx.name('cm') } });
      const cause = {
        reason: 'FieldValueNotSupported',
        message: 'Unsupported value: "Bogus": supported values: "", "Ignore", "Strict", "Warn"',
        field: 'fieldValidation',
      };
      expect(res.body).toEqual(
        failure(
          422,
          'Invalid',
          `CreateOptions.meta.k8s.io "" is invalid: fieldValidation: ${cause.message}`,
          {
            group: 'meta.k8s.io',
            kind: 'CreateOptions',
            causes: [cause],
          },
        ),
      );
    });

    it('checks the result of merge, JSON and strategic merge patches: 422 under Strict, warnings under Warn', async () => {
      const name = ctx.name('cm');
      const path = `${configMaps(ctx.namespace())}/${name}`;
      await ctx.http().post(configMaps(ctx.namespace()), { metadata: { name }, data: { a: '1' } });
      for (const [type, patch] of [
        [MERGE, { dat: {}, zzz: 1 }],
        [
          JSON_PATCH,
          [
            { op: 'add', path: '/dat', value: {} },
            { op: 'add', path: '/zzz', value: 1 },
          ],
        ],
      ] as const) {
        const res = await ctx.http().patch(`${path}?fieldValidation=Strict`, type, patch);
        expect(res.status, type).toBe(422);
        // The patched object is shown whole; its managedFields differ between servers.
        const tail = 'strict decoding error: unknown field "dat", unknown field "zzz"';
        expect(res.body.message).toMatch(
          /^ "" is invalid: patch: Invalid value: "\{\\"apiVersion\\":\\"v1\\",\\"dat\\":\{\},/,
        );
        expect(res.body.message.endsWith(`: ${tail}`)).toBe(true);
        expect(res.body.details.causes).toEqual([
          {
            reason: 'FieldValueInvalid',
            message: expect.stringMatching(/^Invalid value: "/),
            field: 'patch',
          },
        ]);
        expect(Object.keys(res.body.details)).toEqual(['causes']);
      }
      const strategic = await ctx
        .http()
        .patch(`${path}?fieldValidation=Strict`, STRATEGIC, { dat: {}, metadata: { foo: 1 } });
      const list = 'unknown field "dat", unknown field "metadata.foo"';
      expect(strategic.body.message).toBe(
        ` "" is invalid: patch: Invalid value: "map[dat:map[] metadata:map[foo:1]]": strict decoding error: ${list}`,
      );
      const warned = await ctx
        .http()
        .patch(path, STRATEGIC, { dat: {}, metadata: { foo: 1 }, data: { b: '2' } });
      expect(warned.status).toBe(200);
      expect(warned.headers.get('warning')).toBe(
        warningsOf('unknown field "dat"', 'unknown field "metadata.foo"'),
      );
      const ignored = await ctx
        .http()
        .patch(`${path}?fieldValidation=Ignore`, MERGE, { dat: {}, data: { c: '3' } });
      expect(ignored.headers.get('warning')).toBeNull();
      expect(ignored.body.data).toEqual({ a: '1', b: '2', c: '3' });
    });

    it('answers 500 to server-side apply of an undeclared field, whatever fieldValidation says', async () => {
      const name = ctx.name('cm');
      const path = `${configMaps(ctx.namespace())}/${name}`;
      for (const query of ['', '&fieldValidation=Ignore']) {
        const res = await ctx.http().patch(`${path}?fieldManager=applier${query}`, APPLY, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name },
          dat: {},
        });
        expect(res.body).toEqual(
          failure(
            500,
            undefined,
            `failed to create typed patch object (/${name}; /v1, Kind=ConfigMap): .dat: field not declared in schema`,
          ),
        );
      }
      const deploy = ctx.name('deploy');
      const nested = await ctx
        .http()
        .patch(`${deployments(ctx.namespace())}/${deploy}?fieldManager=applier`, APPLY, misspelt(deploy));
      expect(nested.body.message).toBe(
        `failed to create typed patch object (/${deploy}; apps/v1, Kind=Deployment): ` +
          '.spec.template.spec.containers[name="main"].imagee: field not declared in schema',
      );
    });
  });
}
