import { Ajv } from 'ajv';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient } from '../client/create-client.js';
import { apiErrorFromResponse } from '../errors/api-error.js';
import { isInvalid } from '../errors/predicates.js';
import type { CustomResourceDefinition } from '../model/kinds.js';
import type { KubernetesObject } from '../model/object.js';
import type { Transport } from '../transport/types.js';
import { cluster, uniqueName, useNamespace } from './__fixtures__/real-cluster.js';
import type { StructuralSchema } from './crd-schema.js';
import { parseManifests } from './manifests.js';
import { ValidationError, Validator } from './validate.js';

const widgetSchema: StructuralSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['replicas'],
      properties: {
        replicas: { type: 'integer', format: 'int32', minimum: 0 },
        size: { type: 'integer', format: 'int64' },
        port: { 'x-kubernetes-int-or-string': true },
        color: { type: 'string', enum: ['red', 'green'] },
        note: { type: 'string', nullable: true },
        ratio: { type: 'number', format: 'double', maximum: 1, exclusiveMaximum: true },
        tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        name: { type: 'string', maxLength: 5 },
        code: { type: 'string', pattern: '(?i)^[a-z]+$' },
        mode: { type: 'string', default: 'fast' },
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          properties: { spec: { type: 'object', properties: { image: { type: 'string' } } } },
        },
        items: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['key'],
          items: {
            type: 'object',
            required: ['key'],
            properties: { key: { type: 'string' }, value: { type: 'integer' } },
          },
        },
      },
      'x-kubernetes-validations': [{ rule: 'self.replicas <= 100', message: 'at most 100' }],
    },
    status: { type: 'object', properties: { ready: { type: 'boolean' } } },
  },
};

function widgetCrd(group: string, schema: StructuralSchema = widgetSchema): CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `widgets.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: { openAPIV3Schema: schema as never },
        },
      ],
    },
  };
}

const widget = (
  group: string,
  spec: Record<string, unknown>,
  name = 'w1',
  extra: Record<string, unknown> = {},
) => ({
  apiVersion: `${group}/v1`,
  kind: 'Widget',
  metadata: { name, namespace: 'shop' },
  spec,
  ...extra,
});

const fields = (r: { errors: readonly { field: string }[] }) => r.errors.map((e) => e.field).sort();

describe('Validator with static CRDs', () => {
  const group = 'example.com';
  const validator = new Validator({ crds: [widgetCrd(group) as KubernetesObject] });

  afterEach(() => vi.restoreAllMocks());

  it('accepts a good object, naming the CRD and its source', async () => {
    const r = await validator.validate(
      widget(group, { replicas: 1, port: 'http', note: null, tags: ['a', 'b'] }),
    );
    expect(r).toMatchObject({ valid: true, errors: [], crd: `widgets.${group}`, schemaSource: 'static' });
  });

  it("reports every bad field with its path and the API server's words", async () => {
    const r = await validator.validate(
      widget(group, {
        replicas: 'x',
        color: 'blue',
        ratio: 1,
        tags: ['a', 'a'],
        labels: { a: 1 },
        name: 'toolong',
        port: 1.5,
        items: [
          { key: 'a', value: 1 },
          { key: 'a', value: 'two' },
        ],
        code: 'ab1',
      }),
    );
    expect(r.valid).toBe(false);
    expect(fields(r)).toEqual([
      'spec.code',
      'spec.color',
      'spec.items[1]',
      'spec.items[1].value',
      'spec.labels.a',
      'spec.name',
      'spec.port',
      'spec.ratio',
      'spec.replicas',
      'spec.tags[1]',
    ]);
    const by = Object.fromEntries(r.errors.map((e) => [e.field, e]));
    expect(by['spec.color']).toEqual({
      field: 'spec.color',
      reason: 'FieldValueNotSupported',
      message: 'Unsupported value: "blue": supported values: "red", "green"',
    });
    expect(by['spec.replicas']).toEqual({
      field: 'spec.replicas',
      reason: 'FieldValueTypeInvalid',
      message: 'Invalid value: "x": must be of type integer',
    });
    expect(by['spec.port']?.message).toBe('Invalid value: 1.5: must be of type integer,string');
    expect(by['spec.tags[1]']).toMatchObject({
      reason: 'FieldValueDuplicate',
      message: 'Duplicate value: "a"',
    });
    expect(by['spec.items[1]']).toMatchObject({
      reason: 'FieldValueDuplicate',
      message: 'Duplicate value: {"key":"a"}',
    });
    expect(by['spec.name']).toMatchObject({ reason: 'FieldValueTooLong' });
  });

  it('reads patterns as Go does: inline flags, ASCII classes, and no failure on syntax JavaScript lacks', async () => {
    expect((await validator.validate(widget(group, { replicas: 1, code: 'ABC' }))).valid).toBe(true);
    const goOnly = new Validator({
      crds: [
        widgetCrd(group, {
          type: 'object',
          properties: {
            spec: {
              type: 'object',
              properties: {
                a: { type: 'string', pattern: '^(?P<word>[\\w-.]+)$' },
                b: { type: 'string', pattern: '^\\w+$' },
              },
            },
          },
        }) as KubernetesObject,
      ],
    });
    const r = await goOnly.validate(widget(group, { a: 'anything', b: 'é' }));
    expect(r.errors.map((e) => e.field)).toEqual(['spec.b']);
  });

  it('checks int32 and int64 ranges, as the API server does', async () => {
    const r = await validator.validate(widget(group, { replicas: 2 ** 31, size: 1e20 }));
    expect(r.errors.map((e) => [e.field, e.message])).toEqual([
      ['spec.replicas', 'Invalid value: 2147483648: must be of type int32'],
      ['spec.size', 'Invalid value: 100000000000000000000: must be of type int64'],
    ]);
    expect((await validator.validate(widget(group, { replicas: 2 ** 31 - 1, size: 2 ** 53 }))).valid).toBe(
      true,
    );
  });

  it('drops nulls of non-nullable fields, so a required one is missing', async () => {
    expect((await validator.validate(widget(group, { replicas: 1, color: null, note: null }))).valid).toBe(
      true,
    );
    const r = await validator.validate(widget(group, { replicas: null }));
    expect(r.errors).toEqual([
      { field: 'spec.replicas', reason: 'FieldValueRequired', message: 'Required value' },
    ]);
  });

  it("refuses undeclared fields, except under preserve-unknown-fields and in embedded resources' metadata", async () => {
    const r = await validator.validate(
      widget(
        group,
        {
          replicas: 1,
          typo: true,
          extra: { anything: { at: ['all'] } },
          template: {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'x', labels: { a: 'b' } },
            spec: { image: 'i', oops: 1 },
          },
        },
        'w1',
        { stray: 1 },
      ),
    );
    expect(r.errors.map((e) => [e.field, e.reason, e.message])).toEqual([
      ['stray', 'FieldValueUnknown', 'unknown field "stray"'],
      ['spec.typo', 'FieldValueUnknown', 'unknown field "spec.typo"'],
      ['spec.template.spec.oops', 'FieldValueUnknown', 'unknown field "spec.template.spec.oops"'],
    ]);
    const lenient = new Validator({ crds: [widgetCrd(group) as KubernetesObject], unknownFields: 'ignore' });
    expect((await lenient.validate(widget(group, { replicas: 1, typo: true }))).valid).toBe(true);
  });

  it('applies defaults before checking, and does not change the object given', async () => {
    const withDefaultRequired = new Validator({
      crds: [
        widgetCrd(group, {
          type: 'object',
          properties: {
            spec: {
              type: 'object',
              required: ['mode'],
              properties: { mode: { type: 'string', default: 'fast' } },
            },
          },
        }) as KubernetesObject,
      ],
    });
    const obj = Object.freeze(widget(group, Object.freeze({})));
    expect((await withDefaultRequired.validate(obj)).valid).toBe(true);
    expect(obj.spec).toEqual({});
  });

  it('leaves status alone when the status subresource is on, unless asked to check it', async () => {
    const obj = widget(group, { replicas: 1 }, 'w1', { status: { ready: 'yes' } });
    expect((await validator.validate(obj)).valid).toBe(true);
    const r = await validator.validate(obj, { subresource: 'status' });
    expect(fields(r)).toEqual(['status.ready']);
  });

  it('lists the CEL rules it does not evaluate', async () => {
    const r = await validator.validate(widget(group, { replicas: 1000 }));
    expect(r.valid).toBe(true);
    expect(r.unchecked).toEqual(['spec']);
  });

  it('reports an apiVersion the CRD does not serve, naming the served ones', async () => {
    const r = await validator.validate({ ...widget(group, { replicas: 1 }), apiVersion: `${group}/v9` });
    expect(r.errors).toEqual([
      {
        field: 'apiVersion',
        reason: 'FieldValueNotSupported',
        message: `Unsupported value: "${group}/v9": supported values: "${group}/v1"`,
      },
    ]);
  });

  it('lets kinds without a CRD pass', async () => {
    expect(
      await validator.validate({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: 1 }),
    ).toEqual({ valid: true, errors: [], unchecked: [] });
    expect(
      (await validator.validate({ apiVersion: 'other.io/v1', kind: 'Widget', spec: 'anything' })).valid,
    ).toBe(true);
  });

  it('compiles each CRD version once', async () => {
    const compile = vi.spyOn(Ajv.prototype, 'compile');
    const fresh = new Validator({ crds: [widgetCrd(group) as KubernetesObject] });
    for (let i = 0; i < 5; i++) await fresh.validate(widget(group, { replicas: i }));
    expect(compile).toHaveBeenCalledTimes(1);
  });

  it('throws from assertValid an error naming the object, its CRD, its fields and what to do', async () => {
    const err = await validator.assertValid(widget(group, { replicas: -1 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).message).toBe(
      `Widget shop/w1 does not match the schema of CRD widgets.${group}:\n` +
        '  spec.replicas: Invalid value: -1: must be >= 0\n' +
        `Fix these fields; \`kubectl explain widgets --api-version=${group}/v1 --recursive\` shows the schema.`,
    );
    await expect(validator.assertValid(widget(group, { replicas: 1 }))).resolves.toBeUndefined();
  });

  it('validates the custom resources of a manifest against the CRD in the same manifest, v1beta1 too', async () => {
    const objs = parseManifests(`apiVersion: apiextensions.k8s.io/v1beta1
kind: CustomResourceDefinition
metadata: {name: gadgets.toys.io}
spec:
  group: toys.io
  version: v1
  names: {kind: Gadget, plural: gadgets}
  validation:
    openAPIV3Schema:
      type: object
      properties:
        spec:
          type: object
          properties:
            mode: {type: string, pattern: '^0[0-7]{3}$'}
            permissions: {type: integer, maximum: 511}
---
apiVersion: toys.io/v1
kind: Gadget
metadata: {name: g}
spec: {mode: "0644", permissions: 0644}
---
apiVersion: toys.io/v1
kind: Gadget
metadata: {name: h}
spec: {mode: 0644, permissions: 0o777}
`);
    const fromManifest = new Validator({ crds: objs.filter((o) => o.kind === 'CustomResourceDefinition') });
    const results = await Promise.all(
      objs.filter((o) => o.kind === 'Gadget').map((o) => fromManifest.validate(o)),
    );
    expect(results.map((r) => r.errors.map((e) => `${e.field}: ${e.message}`))).toEqual([
      [],
      [
        'spec.mode: Invalid value: 420: must be of type string',
        'spec.permissions: Invalid value: "0o777": must be of type integer',
      ],
    ]);
  });

  it('refuses objects without kind and CRDs that are not CRDs', async () => {
    await expect(validator.validate({ apiVersion: 'v1', metadata: { name: 'x' } })).rejects.toThrow(
      /has no kind/,
    );
    expect(
      () => new Validator({ crds: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }] }),
    ).toThrow(/ConfigMap c is not a CustomResourceDefinition/);
  });
});

/** A transport that counts the requests whose path contains a string. */
function counting(inner: Transport, fragment: string): { transport: Transport; count: () => number } {
  let n = 0;
  return {
    transport: {
      server: inner.server,
      request: (req) => {
        if (req.path.includes(fragment)) n++;
        return inner.request(req);
      },
    },
    count: () => n,
  };
}

const ctx = useNamespace('validate');

describe.skipIf(!cluster)('Validator with a real API server', () => {
  const group = `${uniqueName('tb').replace(/-/g, '')}.kates.dev`;
  const crd = widgetCrd(group);
  const post = async (obj: KubernetesObject) => {
    const res = await ctx.client.transport.request({
      method: 'POST',
      path: `/apis/${group}/v1/namespaces/${ctx.namespace}/widgets`,
      query: { fieldValidation: 'Strict' },
      body: JSON.stringify(obj),
    });
    const body = await res.text();
    return res.status === 201
      ? undefined
      : apiErrorFromResponse(res.status, body, { verb: 'create', resource: 'widgets' });
  };
  const inNs = (obj: KubernetesObject) => ({
    ...obj,
    metadata: { ...obj.metadata, namespace: ctx.namespace },
  });

  beforeAll(async () => {
    await ctx.client.create(crd);
    for (let i = 0; ; i++) {
      const got = await ctx.client.get<CustomResourceDefinition>('crd', `widgets.${group}`);
      if (got.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (i > 100) throw new Error('the CRD did not become Established');
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  it('accepts what the server accepts, reading the CRD once for many objects', async () => {
    const { transport, count } = counting(ctx.client.transport, 'customresourcedefinitions');
    const validator = new Validator({ client: { transport, discovery: ctx.client.discovery } });
    for (let i = 0; i < 3; i++) {
      const obj = inNs(
        widget(
          group,
          { replicas: i, port: 8080, labels: { a: 'b' }, items: [{ key: 'a' }, { key: 'b' }], code: 'ABC' },
          `good-${i}`,
        ),
      );
      const r = await validator.validate(obj);
      expect(r).toMatchObject({ valid: true, crd: `widgets.${group}`, schemaSource: 'server' });
      expect(await post(obj)).toBeUndefined();
    }
    expect(count()).toBe(1);
  });

  it('finds the fields the server refuses with 422, at the same paths', async () => {
    const validator = new Validator({ client: ctx.client });
    const bad = inNs(
      widget(
        group,
        {
          replicas: 'x',
          color: 'blue',
          ratio: 1,
          tags: ['a', 'a'],
          labels: { a: 1 },
          name: 'toolong',
          port: 1.5,
          items: [{ key: 'a' }, { key: 'a' }],
          code: 'ab1',
        },
        'bad',
      ),
    );
    const ours = await validator.validate(bad);
    const refused = await ctx.client.create(bad).catch((e: unknown) => e);
    expect(isInvalid(refused)).toBe(true);
    // The server adds a cause without a field saying its CEL rules were skipped; the rest is field by field.
    const theirs = (refused as { causes: { field?: string; reason?: string }[] }).causes
      .filter((c) => c.field !== '<nil>')
      .map((c) => `${c.field} ${c.reason}`)
      .sort();
    expect(ours.errors.map((e) => `${e.field} ${e.reason}`).sort()).toEqual(theirs);
  });

  it('agrees with the server on int32 overflow, a null required field and an undeclared field', async () => {
    const validator = new Validator({ client: ctx.client });
    const cases = [
      widget(group, { replicas: 2 ** 31 }, 'int32'),
      widget(group, { replicas: null }, 'null'),
      widget(group, { replicas: 1, typo: 1 }, 'typo'),
    ].map(inNs);
    for (const obj of cases) {
      const ours = await validator.validate(obj);
      const theirs = await post(obj);
      expect(ours.valid, obj.metadata.name).toBe(false);
      expect(theirs?.code, obj.metadata.name).toBeGreaterThanOrEqual(400);
      expect(theirs?.message).toContain(ours.errors[0]?.field.split('.').pop());
    }
  });

  it("prefers a static CRD to the server's", async () => {
    const strict = widgetCrd(group, {
      ...widgetSchema,
      properties: {
        ...widgetSchema.properties,
        spec: {
          ...widgetSchema.properties!.spec,
          properties: {
            ...widgetSchema.properties!.spec!.properties,
            replicas: { type: 'integer', maximum: 3 },
          },
        },
      },
    });
    const { transport, count } = counting(ctx.client.transport, 'customresourcedefinitions');
    const validator = new Validator({ client: { transport }, crds: [strict as KubernetesObject] });
    const r = await validator.validate(inNs(widget(group, { replicas: 5 })));
    expect(r).toMatchObject({ valid: false, schemaSource: 'static' });
    expect(fields(r)).toEqual(['spec.replicas']);
    expect(count()).toBe(0);
  });

  it('lets built-in kinds pass, asking the server once whether they are CRDs', async () => {
    const { transport, count } = counting(ctx.client.transport, 'customresourcedefinitions');
    const validator = new Validator({ client: { transport, discovery: ctx.client.discovery } });
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { bogus: true },
    };
    for (let i = 0; i < 3; i++)
      expect(await validator.validate(deployment)).toEqual({ valid: true, errors: [], unchecked: [] });
    expect(count()).toBe(1);
    expect(
      await validator.validate({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }),
    ).toMatchObject({ valid: true });
    expect(count()).toBe(1);
  });

  it('says what to do for a kind the server does not serve, and for a user who may not read CRDs', async () => {
    const validator = new Validator({ client: ctx.client });
    await expect(
      validator.validate({ apiVersion: `${group}/v1`, kind: 'Gadget', metadata: { name: 'g' } }),
    ).rejects.toThrow(
      /cannot validate Gadget g: unknown kind.*pass the CRD in the Validator's `crds` option/s,
    );
    const nobody = createClient({ kubeconfig: cluster!.nobodyKubeconfigPath });
    try {
      const err = await new Validator({ client: nobody })
        .validate(inNs(widget(group, { replicas: 1 })))
        .catch((e: unknown) => e);
      expect((err as Error).message).toMatch(
        /cannot validate Widget .*\/w1: reading its CRD failed: .*403.*Grant `get` on customresourcedefinitions/,
      );
    } finally {
      nobody.close();
    }
  });
});
