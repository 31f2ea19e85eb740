import { describe, expect, it } from 'vitest';
import { findTypeMismatch } from './builtin-types.js';

describe('the value types of built-in kinds', () => {
  it('name the first mismatch in the words of the JSON decoder, the converter and the typed patch', () => {
    const found = findTypeMismatch('V1Deployment', {
      spec: { template: { spec: { containers: [{ name: 'main', image: 7 }] } } },
    });
    expect(found).toEqual({
      json: 'json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.image of type string',
      convert: 'cannot convert int64 to string',
      typed: 'expected string, got &value.valueUnstructured{Value:7}',
      where: ['spec', 'template', 'spec', 'containers', 0, 'image'],
    });
  });

  it('name a fraction in an integer field with its value, and leave the typed patch to the conversion', () => {
    const found = findTypeMismatch('V1Deployment', { spec: { replicas: 1.5 } });
    expect(found?.json).toBe(
      'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
    expect(found?.convert).toBe('cannot convert float64 to int32');
    expect(found?.typed).toBeUndefined();
  });

  it('take numbers for quantities, anything for int-or-string and times, and ignore undeclared fields', () => {
    expect(
      findTypeMismatch('V1Pod', {
        metadata: { creationTimestamp: 5, labelz: 3 },
        spec: {
          containers: [{ name: 'c', resources: { limits: { cpu: 1 } }, ports: [{ containerPort: 80 }] }],
          volumes: [{ name: 'v', emptyDir: { sizeLimit: 5 } }],
        },
      }),
    ).toBeUndefined();
    expect(
      findTypeMismatch('V1Service', { spec: { ports: [{ port: 80, targetPort: 'http' }] } }),
    ).toBeUndefined();
  });

  it('name the container type of a list or a map given something else', () => {
    expect(findTypeMismatch('V1ConfigMap', { data: ['a'] })?.json).toBe(
      'json: cannot unmarshal array into Go struct field ConfigMap.data of type map[string]string',
    );
    expect(findTypeMismatch('V1PodSpec', { containers: { a: 1 } })?.json).toBe(
      'json: cannot unmarshal object into Go struct field PodSpec.containers of type []v1.Container',
    );
  });
});
