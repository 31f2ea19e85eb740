import { describe, expect, it } from 'vitest';
import type { ContractContext } from './context.js';

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const ALL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

// What both servers must say about the built-in kinds the fake serves; status and scale are the
// subresources compared (ALLOWED_DIFFERENCES.subresources).
const CORE = [
  {
    name: 'namespaces',
    singularName: 'namespace',
    namespaced: false,
    kind: 'Namespace',
    shortNames: ['ns'],
    status: true,
    verbs: ALL.filter((v) => v !== 'deletecollection'),
  },
  { name: 'configmaps', singularName: 'configmap', namespaced: true, kind: 'ConfigMap', shortNames: ['cm'] },
  { name: 'secrets', singularName: 'secret', namespaced: true, kind: 'Secret' },
  {
    name: 'services',
    singularName: 'service',
    namespaced: true,
    kind: 'Service',
    shortNames: ['svc'],
    categories: ['all'],
    status: true,
  },
  {
    name: 'pods',
    singularName: 'pod',
    namespaced: true,
    kind: 'Pod',
    shortNames: ['po'],
    categories: ['all'],
    status: true,
  },
  {
    name: 'serviceaccounts',
    singularName: 'serviceaccount',
    namespaced: true,
    kind: 'ServiceAccount',
    shortNames: ['sa'],
  },
  { name: 'events', singularName: 'event', namespaced: true, kind: 'Event', shortNames: ['ev'] },
  { name: 'endpoints', singularName: 'endpoints', namespaced: true, kind: 'Endpoints', shortNames: ['ep'] },
  { name: 'nodes', singularName: 'node', namespaced: false, kind: 'Node', shortNames: ['no'], status: true },
];
const APPS = [
  {
    name: 'deployments',
    singularName: 'deployment',
    namespaced: true,
    kind: 'Deployment',
    scale: true,
    shortNames: ['deploy'],
    categories: ['all'],
    status: true,
  },
  {
    name: 'replicasets',
    singularName: 'replicaset',
    namespaced: true,
    kind: 'ReplicaSet',
    scale: true,
    shortNames: ['rs'],
    categories: ['all'],
    status: true,
  },
  {
    name: 'statefulsets',
    singularName: 'statefulset',
    namespaced: true,
    kind: 'StatefulSet',
    scale: true,
    shortNames: ['sts'],
    categories: ['all'],
    status: true,
  },
  {
    name: 'daemonsets',
    singularName: 'daemonset',
    namespaced: true,
    kind: 'DaemonSet',
    shortNames: ['ds'],
    categories: ['all'],
    status: true,
  },
];

type Expected = (typeof CORE)[number] & {
  verbs?: string[];
  categories?: string[];
  shortNames?: string[];
  status?: boolean;
  scale?: boolean;
};

const SCALE_KIND = { group: 'autoscaling', version: 'v1', kind: 'Scale' };

function expectLegacy(resources: Record<string, unknown>[], expected: Expected[]) {
  for (const e of expected) {
    const found = resources.find((r) => r.name === e.name);
    expect(found, e.name).toBeDefined();
    const { status, scale, ...fields } = e;
    expect(found).toMatchObject({ ...fields, verbs: e.verbs ?? ALL });
    const scaleSub = resources.find((r) => r.name === `${e.name}/scale`);
    if (scale)
      expect(scaleSub).toEqual({
        name: `${e.name}/scale`,
        singularName: '',
        namespaced: e.namespaced,
        ...SCALE_KIND,
        verbs: ['get', 'patch', 'update'],
      });
    else expect(scaleSub, `${e.name}/scale`).toBeUndefined();
    if (!e.shortNames) expect(found?.shortNames, e.name).toBeUndefined();
    if (!e.categories) expect(found?.categories, e.name).toBeUndefined();
    const sub = resources.find((r) => r.name === `${e.name}/status`);
    if (status)
      expect(sub).toEqual({
        name: `${e.name}/status`,
        singularName: '',
        namespaced: e.namespaced,
        kind: e.kind,
        verbs: ['get', 'patch', 'update'],
      });
    else expect(sub, `${e.name}/status`).toBeUndefined();
  }
}

function expectAggregated(resources: Record<string, unknown>[], expected: Expected[]) {
  for (const e of expected) {
    const found = resources.find((r) => r.resource === e.name) as Record<string, unknown> | undefined;
    expect(found, e.name).toBeDefined();
    const kind = { group: '', version: '', kind: e.kind };
    expect(found).toMatchObject({
      resource: e.name,
      responseKind: kind,
      scope: e.namespaced ? 'Namespaced' : 'Cluster',
      singularResource: e.singularName,
      verbs: e.verbs ?? ALL,
    });
    expect(found?.shortNames, e.name).toEqual(e.shortNames);
    expect(found?.categories, e.name).toEqual(e.categories);
    const subs = (found?.subresources ?? []) as { subresource: string }[];
    // Where both are served, scale comes first, as the apiserver lists them.
    expect(
      subs.map((s) => s.subresource).filter((s) => s === 'scale' || s === 'status'),
      e.name,
    ).toEqual([...(e.scale ? ['scale'] : []), ...(e.status ? ['status'] : [])]);
    const scaleSub = subs.find((s) => s.subresource === 'scale');
    if (e.scale)
      expect(scaleSub).toEqual({
        subresource: 'scale',
        responseKind: SCALE_KIND,
        verbs: ['get', 'patch', 'update'],
      });
    const status = subs.find((s) => s.subresource === 'status');
    if (e.status)
      expect(status).toEqual({
        subresource: 'status',
        responseKind: kind,
        verbs: ['get', 'patch', 'update'],
      });
    else expect(status, `${e.name} status`).toBeUndefined();
  }
}

export function discoveryContract(ctx: ContractContext) {
  describe('discovery', () => {
    it('answers GET /api with the legacy APIVersions', async () => {
      const res = await ctx.http().get('/api');
      expect(res.status).toBe(200);
      expect(res.body.kind).toBe('APIVersions');
      expect(res.body.versions).toEqual(['v1']);
      expect(res.body.serverAddressByClientCIDRs).toEqual([
        { clientCIDR: '0.0.0.0/0', serverAddress: expect.any(String) },
      ]);
    });

    it('answers GET /apis with the legacy APIGroupList, v1 preferred', async () => {
      const res = await ctx.http().get('/apis');
      expect(res.body).toMatchObject({ kind: 'APIGroupList', apiVersion: 'v1' });
      for (const group of ['apps', 'coordination.k8s.io', 'apiextensions.k8s.io']) {
        const g = res.body.groups.find((x: { name: string }) => x.name === group);
        expect(g, group).toBeDefined();
        expect(g.preferredVersion).toEqual({ groupVersion: `${group}/v1`, version: 'v1' });
        expect(g.versions).toContainEqual({ groupVersion: `${group}/v1`, version: 'v1' });
      }
      const apps = await ctx.http().get('/apis/apps');
      expect(apps.body).toEqual({
        kind: 'APIGroup',
        apiVersion: 'v1',
        name: 'apps',
        versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
        preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
      });
    });

    it('lists core/v1 resources with their names, scope, verbs and status and scale subresources', async () => {
      const res = await ctx.http().get('/api/v1');
      expect(res.body.kind).toBe('APIResourceList');
      expect(res.body.groupVersion).toBe('v1');
      expect(res.body.apiVersion).toBeUndefined();
      expectLegacy(res.body.resources, CORE);
    });

    it('lists apps/v1, coordination.k8s.io/v1 and apiextensions.k8s.io/v1 resources', async () => {
      const apps = await ctx.http().get('/apis/apps/v1');
      expect(apps.body).toMatchObject({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'apps/v1' });
      expectLegacy(apps.body.resources, APPS);
      const leases = await ctx.http().get('/apis/coordination.k8s.io/v1');
      expectLegacy(leases.body.resources, [
        { name: 'leases', singularName: 'lease', namespaced: true, kind: 'Lease' },
      ]);
      const crds = await ctx.http().get('/apis/apiextensions.k8s.io/v1');
      expectLegacy(crds.body.resources, [
        {
          name: 'customresourcedefinitions',
          singularName: 'customresourcedefinition',
          namespaced: false,
          kind: 'CustomResourceDefinition',
          shortNames: ['crd', 'crds'],
          categories: ['api-extensions'],
          status: true,
        },
      ]);
    });

    it('serves aggregated discovery v2 for /api and /apis when asked for it', async () => {
      const core = await ctx.http().get('/api', { accept: AGGREGATED });
      expect(core.headers.get('content-type')).toBe(AGGREGATED);
      expect(core.body).toMatchObject({
        kind: 'APIGroupDiscoveryList',
        apiVersion: 'apidiscovery.k8s.io/v2',
        metadata: {},
      });
      expect(core.body.items).toHaveLength(1);
      expect(core.body.items[0].metadata).toEqual({});
      const v1 = core.body.items[0].versions[0];
      expect(v1).toMatchObject({ version: 'v1', freshness: 'Current' });
      expectAggregated(v1.resources, CORE);
      const groups = await ctx.http().get('/apis', { accept: AGGREGATED });
      expect(groups.headers.get('content-type')).toBe(AGGREGATED);
      const apps = groups.body.items.find((i: { metadata: { name: string } }) => i.metadata.name === 'apps');
      expect(apps.versions.map((v: { version: string }) => v.version)).toEqual(['v1']);
      expectAggregated(apps.versions[0].resources, APPS);
    });

    it('answers 404: a Status for an unknown resource, plain text for an unknown group', async () => {
      const resource = await ctx.http().get('/api/v1/nosuchthings');
      expect(resource.status).toBe(404);
      expect(resource.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'the server could not find the requested resource',
        reason: 'NotFound',
        details: {},
        code: 404,
      });
      const group = await ctx.http().get('/apis/no.such.group/v1/things');
      expect(group.status).toBe(404);
      expect(group.text.trim()).toBe('404 page not found');
    });

    it('answers 401 Unauthorized to a wrong bearer token', async () => {
      const res = await ctx.http().get('/api/v1/namespaces', { token: 'not-the-token' });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    });
  });
}
