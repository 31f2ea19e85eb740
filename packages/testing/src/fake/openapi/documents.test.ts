import { describe, expect, it } from 'vitest';
import { servedFromCrd } from '../crd-controller.js';
import { ResourceRegistry } from '../registry.js';
import { goTypeName } from './builtin-schemas.js';
import { acceptsJsonDocument, OpenApiDocuments } from './documents.js';
import { modelDoc } from './model-docs.js';

const registry = () => new ResourceRegistry();

describe('model docs read from client-node declarations', () => {
  it('give descriptions, with JavaScript escapes undone, and which fields are required', () => {
    const spec = modelDoc('V1DeploymentSpec');
    expect(spec?.description).toBe(
      'DeploymentSpec is the specification of the desired behavior of the Deployment.',
    );
    expect(spec?.fields.get('replicas')).toMatchObject({ required: false });
    expect(spec?.fields.get('replicas')?.description).toMatch(/^Number of desired pods\./);
    expect(spec?.fields.get('selector')?.required).toBe(true);
    expect(modelDoc('V1ConfigMap')?.fields.get('data')?.description).toContain("'-', '_' or '.'");
    expect(modelDoc('V1NoSuchModel')).toBeUndefined();
  });

  it('name Go types without their version prefix', () => {
    expect(goTypeName('V1DeploymentSpec')).toBe('DeploymentSpec');
    expect(goTypeName('CoreV1Event')).toBe('Event');
    expect(goTypeName('V2HorizontalPodAutoscaler')).toBe('HorizontalPodAutoscaler');
  });
});

describe('OpenApiDocuments', () => {
  it('indexes every served group version with the hash of its document', () => {
    const docs = new OpenApiDocuments(registry(), 'v1.37.2');
    const index = docs.v3Index() as { paths: Record<string, { serverRelativeURL: string }> };
    expect(Object.keys(index.paths)).toEqual(
      expect.arrayContaining(['api/v1', 'apis/apps/v1', 'apis/autoscaling/v2']),
    );
    const apps = docs.v3Document('apis/apps/v1');
    expect(index.paths['apis/apps/v1']?.serverRelativeURL).toBe(
      `/openapi/v3/apis/apps/v1?hash=${apps?.hash}`,
    );
    expect(docs.v3Document('apis/nope/v1')).toBeUndefined();
  });

  it('keeps a document until the resources of its group version change', () => {
    const reg = registry();
    const docs = new OpenApiDocuments(reg, 'v1.37.2');
    const before = docs.v3Document('apis/apps/v1');
    expect(docs.v3Document('apis/apps/v1')).toBe(before);
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'things.apps' },
      spec: {
        group: 'apps',
        scope: 'Namespaced',
        names: { plural: 'things', kind: 'Thing' },
        versions: [{ name: 'v1', served: true, storage: true }],
      },
    };
    for (const r of servedFromCrd(crd)) reg.add(r);
    const after = docs.v3Document('apis/apps/v1');
    expect(after).not.toBe(before);
    expect(JSON.parse(after?.json ?? '{}').components.schemas['apps.v1.Thing']).toMatchObject({
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
    });
  });

  it('gives built-in PATCH operations strategic merge and custom ones merge patches only', () => {
    const reg = registry();
    const crd = {
      metadata: { name: 'routes.x.example' },
      spec: {
        group: 'x.example',
        scope: 'Cluster',
        names: { plural: 'routes', kind: 'Route' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', description: 'A route.' } },
          },
        ],
      },
    };
    for (const r of servedFromCrd(crd as never)) reg.add(r);
    const docs = new OpenApiDocuments(reg, 'v1.37.2');
    const custom = JSON.parse(docs.v3Document('apis/x.example/v1')?.json ?? '{}');
    const patch = custom.paths['/apis/x.example/v1/routes/{name}'].patch;
    expect(Object.keys(patch.requestBody.content)).toEqual([
      'application/apply-patch+yaml',
      'application/json-patch+json',
      'application/merge-patch+json',
    ]);
    expect(custom.components.schemas['example.x.v1.Route'].description).toBe('A route.');
    const core = JSON.parse(docs.v3Document('api/v1')?.json ?? '{}');
    expect(
      Object.keys(core.paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch.requestBody.content),
    ).toContain('application/strategic-merge-patch+json');
    expect(
      core.paths['/api/v1/namespaces/{namespace}/pods/{name}/status'].patch[
        'x-kubernetes-group-version-kind'
      ],
    ).toEqual({
      group: '',
      kind: 'Pod',
      version: 'v1',
    });
  });

  it('writes v2 references to #/definitions and names the scale subresource autoscaling/v1 Scale', () => {
    const v2 = JSON.parse(new OpenApiDocuments(registry(), 'v1.37.2').v2Document());
    expect(v2.definitions['io.k8s.api.core.v1.Pod'].properties.spec).toMatchObject({
      $ref: '#/definitions/io.k8s.api.core.v1.PodSpec',
    });
    const scale = v2.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'].put;
    expect(scale['x-kubernetes-group-version-kind']).toEqual({
      group: 'autoscaling',
      kind: 'Scale',
      version: 'v1',
    });
  });

  it('serves /openapi/v2 as JSON unless only protobuf is acceptable', () => {
    expect(acceptsJsonDocument(undefined)).toBe(true);
    expect(acceptsJsonDocument('application/json')).toBe(true);
    expect(acceptsJsonDocument('application/com.github.proto-openapi.spec.v2@v1.0+protobuf')).toBe(false);
  });
});
