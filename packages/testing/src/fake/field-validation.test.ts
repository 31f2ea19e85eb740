import { describe, expect, it } from 'vitest';
import { pruneUnknownFields } from './builtin-schema.js';
import {
  decodeObject,
  enforceFieldValidation,
  fieldValidationOf,
  goValue,
  patchedJson,
  strictBodyError,
  typedPatchError,
} from './field-validation.js';
import { ApiError } from './status.js';

const deployment = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  custom: false,
  model: 'V1Deployment',
} as const;

describe('the fields of built-in kinds, from client-node models', () => {
  it('finds unknown fields at any depth, through lists and maps of models, and drops them', () => {
    const pod = {
      metadata: { name: 'p', labels: { any: 'label' }, foo: 1 },
      spec: {
        containers: [{ name: 'c', image: 'i', imagee: 'x', env: [{ name: 'A', vaule: 'b' }] }],
        overhead: { cpu: '1' },
      },
    };
    const { value, unknown } = pruneUnknownFields('V1Pod', pod, 'document');
    expect(unknown).toEqual(['metadata.foo', 'spec.containers[0].imagee', 'spec.containers[0].env[0].vaule']);
    expect(value).toEqual({
      metadata: { name: 'p', labels: { any: 'label' } },
      spec: { containers: [{ name: 'c', image: 'i', env: [{ name: 'A' }] }], overhead: { cpu: '1' } },
    });
  });

  it('reports in sorted order when asked (a patch result, as Go maps marshal)', () => {
    const { unknown } = pruneUnknownFields('V1ConfigMap', { zzz: 1, data: {}, aaa: 1 }, 'sorted');
    expect(unknown).toEqual(['aaa', 'zzz']);
  });

  it('leaves untyped fields alone and returns an unchanged value as it was', () => {
    const crd = { spec: { versions: [{ name: 'v1', schema: { openAPIV3Schema: { default: { x: 1 } } } }] } };
    const result = pruneUnknownFields('V1CustomResourceDefinition', crd, 'document');
    expect(result.unknown).toEqual([]);
    expect(result.value).toBe(crd);
  });
});

describe('fieldValidation', () => {
  it('defaults to Warn and refuses a directive it does not know with 422', () => {
    expect(fieldValidationOf(new URLSearchParams(), 'CreateOptions')).toBe('Warn');
    expect(fieldValidationOf(new URLSearchParams('fieldValidation=Strict'), 'PatchOptions')).toBe('Strict');
    expect(() => fieldValidationOf(new URLSearchParams('fieldValidation=strict'), 'UpdateOptions')).toThrow(
      'UpdateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "strict"',
    );
  });

  it('throws under Strict, collects warnings under Warn and says nothing under Ignore', () => {
    const unknown = ['dat', 'spec.foo'];
    const strict = () =>
      enforceFieldValidation('Strict', unknown, undefined, (list) => strictBodyError(deployment, list));
    expect(strict).toThrow(
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: ' +
        'unknown field "dat", unknown field "spec.foo"',
    );
    const warnings: string[] = [];
    enforceFieldValidation('Warn', unknown, warnings, () => new ApiError(500, { kind: 'Status' }));
    enforceFieldValidation('Ignore', unknown, warnings, () => new ApiError(500, { kind: 'Status' }));
    expect(warnings).toEqual(['unknown field "dat"', 'unknown field "spec.foo"']);
  });

  it('decodes custom objects without a schema as they are', () => {
    const obj = { spec: { anything: 1 } };
    expect(decodeObject({ ...deployment, custom: true }, obj, 'document')).toEqual({
      object: obj,
      unknown: [],
    });
  });

  it('names the undeclared field of an apply configuration as server-side apply does, keyed list items by key', () => {
    const config = {
      metadata: { name: 'web', namespace: 'ns' },
      spec: { template: { spec: { containers: [{ name: 'a' }, { name: 'main', imagee: 'x' }] } } },
    };
    const { unknown } = decodeObject(deployment, config, 'document');
    expect(typedPatchError(deployment, config, unknown).message).toBe(
      'failed to create typed patch object (ns/web; apps/v1, Kind=Deployment): ' +
        '.spec.template.spec.containers[name="main"].imagee: field not declared in schema',
    );
  });
});

describe('how a refused patch is shown', () => {
  it('prints a strategic merge patch as a Go map', () => {
    expect(goValue({ metadata: { foo: 1, bar: null }, dat: {}, list: ['a', 2, true] })).toBe(
      'map[dat:map[] list:[a 2 true] metadata:map[bar:<nil> foo:1]]',
    );
  });

  it('marshals a patched object with sorted keys: the top level for built-ins, every level for custom objects', () => {
    const obj = { kind: 'K', apiVersion: 'v1', metadata: { name: 'n', namespace: 'd' } };
    expect(patchedJson(obj, false)).toBe(
      '{"apiVersion":"v1","kind":"K","metadata":{"name":"n","namespace":"d"}}',
    );
    expect(patchedJson({ b: { z: 1, a: [{ y: 1, x: 2 }] } }, true)).toBe('{"b":{"a":[{"x":2,"y":1}],"z":1}}');
  });
});
