import { describe, expect, it } from 'vitest';
import type { ContractContext } from './context.js';
import { eventually } from './crd.js';
import { CRDS, crdManifest, waitForCrd } from './crd-fixture.js';

// The parts of the OpenAPI documents kubectl reads: the index of group versions, each kind's
// schema found by its x-kubernetes-group-version-kind, and the PATCH operation whose parameters
// and body types tell kubectl whether the server validates fields and merges strategically.

function patchOperation(doc: { paths: Record<string, Record<string, unknown>> }, path: string) {
  return doc.paths[path]?.patch as
    | {
        'x-kubernetes-group-version-kind': Record<string, string>;
        parameters: { name: string; in: string }[];
        requestBody: { content: Record<string, unknown> };
      }
    | undefined;
}

export function openApiContract(ctx: ContractContext) {
  describe('OpenAPI', () => {
    it('indexes /openapi/v3 by group version, each with a hashed URL that serves its document', async () => {
      const index = await ctx.http().get('/openapi/v3');
      expect(index.status).toBe(200);
      for (const gv of ['api/v1', 'apis/apps/v1', 'apis/batch/v1', 'apis/apiextensions.k8s.io/v1']) {
        const url = index.body.paths[gv]?.serverRelativeURL as string;
        expect(url, gv).toMatch(new RegExp(`^/openapi/v3/${gv.replace(/\./g, '\\.')}\\?hash=[0-9A-F]{128}$`));
        const doc = await ctx.http().get(url);
        expect(doc.status, gv).toBe(200);
        expect(doc.headers.get('content-type')).toBe('application/json');
        expect(doc.body.openapi).toBe('3.0.0');
      }
      expect((await ctx.http().get('/openapi/v3/apis/no.such.group/v1')).status).toBe(404);
    });

    it('describes built-in kinds with their fields, and a PATCH that validates fields and merges strategically', async () => {
      const doc = (await ctx.http().get('/openapi/v3/api/v1')).body;
      const configMap = doc.components.schemas['io.k8s.api.core.v1.ConfigMap'];
      expect(configMap['x-kubernetes-group-version-kind']).toEqual([
        { group: '', kind: 'ConfigMap', version: 'v1' },
      ]);
      expect(configMap.properties.data).toMatchObject({
        type: 'object',
        additionalProperties: { type: 'string' },
      });
      expect(configMap.properties.data.description).toMatch(/^Data contains the configuration data\./);
      const patch = patchOperation(doc, '/api/v1/namespaces/{namespace}/configmaps/{name}');
      expect(patch?.['x-kubernetes-group-version-kind']).toEqual({
        group: '',
        version: 'v1',
        kind: 'ConfigMap',
      });
      expect(patch?.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(
        expect.arrayContaining([
          'query:dryRun',
          'query:fieldManager',
          'query:fieldValidation',
          'query:force',
        ]),
      );
      expect(Object.keys(patch?.requestBody.content ?? {})).toEqual(
        expect.arrayContaining(['application/strategic-merge-patch+json', 'application/merge-patch+json']),
      );
      const apps = (await ctx.http().get('/openapi/v3/apis/apps/v1')).body;
      const spec = apps.components.schemas['io.k8s.api.apps.v1.DeploymentSpec'];
      expect(spec.required).toEqual(expect.arrayContaining(['selector', 'template']));
      expect(spec.properties.replicas).toMatchObject({ type: 'integer', format: 'int32' });
      const podSpec = apps.components.schemas['io.k8s.api.core.v1.PodSpec'];
      expect(podSpec.properties.containers).toMatchObject({
        type: 'array',
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-patch-strategy': 'merge',
      });
    });

    it("publishes a custom resource's schema from its CRD, patched by merge patches only", async () => {
      const crd = crdManifest(ctx.name('opa'));
      await ctx.http().post(CRDS, crd.body);
      try {
        await waitForCrd(ctx.http(), crd);
        // The apiserver publishes a new CRD's document a moment after it is Established.
        const doc = await eventually(
          `the OpenAPI v3 document of ${crd.group}/v1 has ${crd.kind}`,
          async () => {
            const entry = (await ctx.http().get('/openapi/v3')).body.paths[`apis/${crd.group}/v1`];
            if (!entry) return undefined;
            const found = (await ctx.http().get(entry.serverRelativeURL)).body;
            return found?.components?.schemas?.[crd.schemaName] ? found : undefined;
          },
        );
        const schema = doc.components.schemas[crd.schemaName];
        expect(schema['x-kubernetes-group-version-kind']).toEqual([
          { group: crd.group, kind: crd.kind, version: 'v1' },
        ]);
        expect(schema.properties.spec.properties.size).toMatchObject({
          type: 'integer',
          description: 'How big.',
        });
        expect(schema.properties.metadata.description).toMatch(/^Standard object's metadata/);
        const patch = patchOperation(
          doc,
          `/apis/${crd.group}/v1/namespaces/{namespace}/${crd.plural}/{name}`,
        );
        expect(patch?.parameters.map((p) => p.name)).toContain('fieldValidation');
        expect(Object.keys(patch?.requestBody.content ?? {})).not.toContain(
          'application/strategic-merge-patch+json',
        );
        expect(Object.keys(patch?.requestBody.content ?? {})).toContain('application/merge-patch+json');
      } finally {
        await ctx.http().delete(`${CRDS}/${crd.name}`);
      }
    });

    it('serves /openapi/v2 as JSON with every kind found by its group, version and kind', async () => {
      const res = await ctx.http().get('/openapi/v2', { accept: 'application/json' });
      expect(res.status).toBe(200);
      expect(res.body.swagger).toBe('2.0');
      const deployment = res.body.definitions['io.k8s.api.apps.v1.Deployment'];
      expect(deployment['x-kubernetes-group-version-kind']).toEqual([
        { group: 'apps', kind: 'Deployment', version: 'v1' },
      ]);
      expect(deployment.properties.spec.$ref).toBe('#/definitions/io.k8s.api.apps.v1.DeploymentSpec');
    });
  });
}
