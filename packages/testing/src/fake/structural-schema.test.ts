import type { StructuralSchema } from '@kates/core';
import { describe, expect, it } from 'vitest';
import { normalizeCustomObject } from './structural-schema.js';
import { validateCustomObject } from './structural-validation.js';

const schema: StructuralSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { type: 'integer', minimum: 0, exclusiveMaximum: true, maximum: 10 },
        mode: { type: 'string', default: 'fast' },
        nullable: { type: 'string', nullable: true },
        port: { 'x-kubernetes-int-or-string': true },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          properties: { spec: { type: 'object', properties: { x: { type: 'string' } } } },
        },
        items: {
          type: 'array',
          uniqueItems: true,
          minItems: 1,
          items: { type: 'object', properties: { n: { type: 'number' } } },
        },
        when: { type: 'string', format: 'date-time' },
      },
    },
  },
};

describe('normalizing a custom object, as kube-apiserver does before validation', () => {
  it('prunes undeclared fields, sorted by path, keeping preserved ones, embedded resource meta and map entries', () => {
    const { object, unknown } = normalizeCustomObject(
      {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w', foo: 1 },
        top: 1,
        spec: {
          size: 1,
          zzz: 1,
          labels: { a: 'b' },
          free: { any: { thing: 1 } },
          template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { x: 'y', z: 1 } },
          items: [{ n: 1, m: 2 }],
        },
      },
      schema,
    );
    expect(unknown).toEqual(['metadata.foo', 'spec.items[0].m', 'spec.template.spec.z', 'spec.zzz', 'top']);
    expect(object).toEqual({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
      spec: {
        size: 1,
        mode: 'fast',
        labels: { a: 'b' },
        free: { any: { thing: 1 } },
        template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { x: 'y' } },
        items: [{ n: 1 }],
      },
    });
  });

  it('drops nulls of fields that are not nullable, and defaults a null that has a default', () => {
    const { object } = normalizeCustomObject({ spec: { size: null, nullable: null, mode: null } }, schema);
    expect(object.spec).toEqual({ nullable: null, mode: 'fast' });
  });
});

describe('validating a custom object against its schema', () => {
  const check = (spec: unknown) => validateCustomObject({ apiVersion: 'x/v1', kind: 'W', spec }, schema);

  it('accepts a valid object, and int-or-string either way', () => {
    expect(check({ size: 9, port: 'http' })).toEqual([]);
    expect(check({ size: 9, port: 80, when: '2024-01-02T03:04:05Z' })).toEqual([]);
  });

  it('words each failure as kube-apiserver does', () => {
    expect(check({ size: 10, port: true, when: 'soon', items: [], labels: { a: 1 } })).toEqual([
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: 10: spec.size in body should be less than 10',
        field: 'spec.size',
      },
      {
        reason: 'FieldValueTypeInvalid',
        message: 'Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
        field: 'spec.port',
      },
      {
        reason: 'FieldValueTypeInvalid',
        message: 'Invalid value: "soon": spec.when in body must be of type date-time: "soon"',
        field: 'spec.when',
      },
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: 0: spec.items in body should have at least 1 items',
        field: 'spec.items',
      },
      {
        reason: 'FieldValueTypeInvalid',
        message: 'Invalid value: "integer": spec.labels.a in body must be of type string: "integer"',
        field: 'spec.labels.a',
      },
    ]);
  });

  it('names a missing required field and a duplicate of a unique list', () => {
    expect(check({ items: [{ n: 1 }, { n: 1 }] })).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.size' },
      { reason: 'FieldValueDuplicate', message: 'Duplicate value: {"n":1}', field: 'spec.items[1]' },
    ]);
  });
});
