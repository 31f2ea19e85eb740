import { beforeAll, describe, expect, it } from 'vitest';
import { type ContractContext, failure } from './context.js';
import { CRDS, established } from './crd.js';
import { warningsOf } from './field-validation.js';

const MERGE = 'application/merge-patch+json';
const APPLY = 'application/apply-patch+yaml';

function gadgetCrd(group: string) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `gadgets.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  required: ['size'],
                  properties: {
                    size: { type: 'integer', minimum: 0, maximum: 10 },
                    color: { type: 'string', enum: ['red', 'blue'] },
                    name: { type: 'string', pattern: '^[a-z]+$', maxLength: 5 },
                    tags: { type: 'array', items: { type: 'string' }, maxItems: 2 },
                    nested: { type: 'object', properties: { deep: { type: 'string' } } },
                    free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                  },
                },
                status: { type: 'object', properties: { phase: { type: 'string' } } },
              },
            },
          },
        },
      ],
    },
  };
}

export function customResourceValidationContract(ctx: ContractContext) {
  describe('field validation and schema validation of custom resources', () => {
    let base = '';
    let group = '';
    const gadget = (name: string, spec: unknown, extra: Record<string, unknown> = {}) => ({
      apiVersion: `${group}/v1`,
      kind: 'Gadget',
      metadata: { name },
      spec,
      ...extra,
    });

    beforeAll(async () => {
      group = `${ctx.name('fv')}.kates.example`;
      const created = await ctx.http().post(CRDS, gadgetCrd(group));
      if (created.status !== 201) throw new Error(`cannot create the Gadget CRD: ${created.text}`);
      await established(ctx.http(), `gadgets.${group}`);
      base = `/apis/${group}/v1/namespaces/${ctx.namespace()}/gadgets`;
      for (let i = 0; i < 100 && (await ctx.http().get(base)).status !== 200; i++)
        await new Promise((r) => setTimeout(r, 100));
      return async () => {
        await ctx.http().delete(`${CRDS}/gadgets.${group}`);
      };
    });

    it('refuses unknown fields under Strict, sorted by path, keeping what the schema preserves', async () => {
      const body = gadget(
        'strict',
        { size: 1, zzz: 1, nested: { deep: 'x', deeper: 1 }, free: { any: 1 } },
        { top: 1, metadata: { name: 'strict', foo: 1 } },
      );
      const res = await ctx.http().post(`${base}?fieldValidation=Strict`, body);
      expect(res.body).toEqual(
        failure(
          400,
          'BadRequest',
          'Gadget in version "v1" cannot be handled as a Gadget: strict decoding error: unknown field "metadata.foo", ' +
            'unknown field "spec.nested.deeper", unknown field "spec.zzz", unknown field "top"',
        ),
      );
      const warned = await ctx.http().post(base, { ...body, metadata: { name: 'warned' } });
      expect(warned.status).toBe(201);
      expect(warned.headers.get('warning')).toBe(
        warningsOf('unknown field "spec.nested.deeper"', 'unknown field "spec.zzz"', 'unknown field "top"'),
      );
      expect(warned.body.spec).toEqual({ size: 1, nested: { deep: 'x' }, free: { any: 1 } });
      const patched = await ctx
        .http()
        .patch(`${base}/warned?fieldValidation=Strict`, MERGE, { spec: { zzz: 1 } });
      expect(patched.status).toBe(422);
      expect(patched.body.message.endsWith('strict decoding error: unknown field "spec.zzz"')).toBe(true);
    });

    it('answers 422 Invalid with each field cause, in kube-apiserver words', async () => {
      const cases: [unknown, { reason: string; message: string; field: string }][] = [
        [
          { size: -1 },
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: -1: spec.size in body should be greater than or equal to 0',
            field: 'spec.size',
          },
        ],
        [
          { size: 11 },
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: 11: spec.size in body should be less than or equal to 10',
            field: 'spec.size',
          },
        ],
        [
          { size: 'x' },
          {
            reason: 'FieldValueTypeInvalid',
            message: 'Invalid value: "string": spec.size in body must be of type integer: "string"',
            field: 'spec.size',
          },
        ],
        [{ color: 'red' }, { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.size' }],
        [
          { size: 1, color: 'green' },
          {
            reason: 'FieldValueNotSupported',
            message: 'Unsupported value: "green": supported values: "red", "blue"',
            field: 'spec.color',
          },
        ],
        [
          { size: 1, name: 'A1' },
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: "A1": spec.name in body should match \'^[a-z]+$\'',
            field: 'spec.name',
          },
        ],
        [
          { size: 1, name: 'abcdefg' },
          {
            reason: 'FieldValueTooLong',
            message: 'Too long: may not be more than 5 bytes',
            field: 'spec.name',
          },
        ],
        [
          { size: 1, tags: ['a', 'b', 'c'] },
          {
            reason: 'FieldValueTooMany',
            message: 'Too many: 3: must have at most 2 items',
            field: 'spec.tags',
          },
        ],
        [
          { size: 1, tags: [1] },
          {
            reason: 'FieldValueTypeInvalid',
            message: 'Invalid value: "integer": spec.tags[0] in body must be of type string: "integer"',
            field: 'spec.tags[0]',
          },
        ],
      ];
      for (const [i, [spec, cause]] of cases.entries()) {
        const name = `bad-${i}`;
        const res = await ctx.http().post(base, gadget(name, spec));
        expect(res.body, JSON.stringify(spec)).toEqual(
          failure(422, 'Invalid', `Gadget.${group} "${name}" is invalid: ${cause.field}: ${cause.message}`, {
            name,
            group,
            kind: 'Gadget',
            causes: [cause],
          }),
        );
      }
      const ok = await ctx.http().post(base, gadget('ok', { size: 1 }));
      const merged = await ctx.http().patch(`${base}/ok`, MERGE, { spec: { size: 100 } });
      expect(merged.status).toBe(422);
      expect(merged.body.details.causes[0].field).toBe('spec.size');
      expect((await ctx.http().get(`${base}/ok`)).body.spec).toEqual(ok.body.spec);
    });

    it('warns about dropped fields even when the object is then refused as invalid', async () => {
      const res = await ctx.http().post(base, gadget('both', { size: -1, zzz: 1 }));
      expect(res.status).toBe(422);
      expect(res.headers.get('warning')).toBe(warningsOf('unknown field "spec.zzz"'));
      const strict = await ctx
        .http()
        .post(`${base}?fieldValidation=Strict`, gadget('both', { size: -1, zzz: 1 }));
      expect(strict.status).toBe(400);
    });

    it('answers 500 naming an undeclared field to server-side apply of a custom object', async () => {
      // With several, the apiserver names one or all of them, varying with Go's map order.
      const res = await ctx
        .http()
        .patch(
          `${base}/applied?fieldManager=applier`,
          APPLY,
          gadget('applied', { size: 1, nested: { deeper: 1 } }),
        );
      expect(res.body).toEqual(
        failure(
          500,
          undefined,
          `failed to create typed patch object (/applied; ${group}/v1, Kind=Gadget): ` +
            '.spec.nested.deeper: field not declared in schema',
        ),
      );
      const free = await ctx
        .http()
        .patch(
          `${base}/applied?fieldManager=applier`,
          APPLY,
          gadget('applied', { size: 1, free: { any: 1 } }),
        );
      expect(free.status).toBe(201);
      expect(free.body.spec).toEqual({ size: 1, free: { any: 1 } });
    });
  });
}
