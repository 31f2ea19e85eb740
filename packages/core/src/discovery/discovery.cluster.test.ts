import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cluster, useTestServer } from '../client/__fixtures__/cluster.js';
import { UnknownKindError } from '../errors/unknown-kind.js';
import { createNodeTransport, type NodeTransport } from '../transport/node.js';
import type { Transport, TransportRequest } from '../transport/types.js';
import { Discovery } from './discovery.js';

/** Counts requests, and can hide aggregated discovery the way a server before 1.26 would. */
function recording(inner: Transport, legacy = false) {
  const paths: string[] = [];
  const transport: Transport = {
    server: inner.server,
    request(req: TransportRequest) {
      paths.push(req.path);
      return inner.request(legacy ? { ...req, accept: 'application/json' } : req);
    },
  };
  return { transport, paths };
}

type Row = [
  name: string,
  group: string,
  version: string,
  resource: string,
  kind: string,
  namespaced: boolean,
];

// Every form kubectl accepts, and the forms of an object's apiVersion and kind.
const table: Row[] = [
  ['svc', '', 'v1', 'services', 'Service', true],
  ['service', '', 'v1', 'services', 'Service', true],
  ['services', '', 'v1', 'services', 'Service', true],
  ['Service', '', 'v1', 'services', 'Service', true],
  ['Services', '', 'v1', 'services', 'Service', true],
  ['v1/Service', '', 'v1', 'services', 'Service', true],
  ['cm', '', 'v1', 'configmaps', 'ConfigMap', true],
  ['po', '', 'v1', 'pods', 'Pod', true],
  ['ns', '', 'v1', 'namespaces', 'Namespace', false],
  ['no', '', 'v1', 'nodes', 'Node', false],
  ['pvc', '', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true],
  ['deploy', 'apps', 'v1', 'deployments', 'Deployment', true],
  ['deployment', 'apps', 'v1', 'deployments', 'Deployment', true],
  ['deployments', 'apps', 'v1', 'deployments', 'Deployment', true],
  ['Deployment', 'apps', 'v1', 'deployments', 'Deployment', true],
  ['deployments.apps', 'apps', 'v1', 'deployments', 'Deployment', true],
  ['deploy.apps', 'apps', 'v1', 'deployments', 'Deployment', true],
  ['Deployment.apps', 'apps', 'v1', 'deployments', 'Deployment', true],
  ['deployments.v1.apps', 'apps', 'v1', 'deployments', 'Deployment', true],
  ['Deployment.v1.apps', 'apps', 'v1', 'deployments', 'Deployment', true],
  ['apps/v1/Deployment', 'apps', 'v1', 'deployments', 'Deployment', true],
  ['apps/Deployment', 'apps', 'v1', 'deployments', 'Deployment', true],
  // The core group wins a name two groups serve, as in kubectl.
  ['events', '', 'v1', 'events', 'Event', true],
  ['ev', '', 'v1', 'events', 'Event', true],
  ['events.events.k8s.io', 'events.k8s.io', 'v1', 'events', 'Event', true],
  // The preferred version unless one is named.
  ['hpa', 'autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true],
  [
    'HorizontalPodAutoscaler.v1.autoscaling',
    'autoscaling',
    'v1',
    'horizontalpodautoscalers',
    'HorizontalPodAutoscaler',
    true,
  ],
  [
    'autoscaling/v1/HorizontalPodAutoscaler',
    'autoscaling',
    'v1',
    'horizontalpodautoscalers',
    'HorizontalPodAutoscaler',
    true,
  ],
  ['crd', 'apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false],
  ['ing', 'networking.k8s.io', 'v1', 'ingresses', 'Ingress', true],
  ['clusterroles', 'rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false],
];

describe.skipIf(!cluster)('discovery against the API server', () => {
  const server = useTestServer();
  let node: NodeTransport;
  beforeAll(() => {
    const kc = new KubeConfig();
    kc.loadFromFile(server.kubeconfigPath);
    node = createNodeTransport(kc);
  });
  afterAll(() => node?.close());

  describe.each([
    ['aggregated', false],
    ['legacy (per-group)', true],
  ] as const)('with %s discovery', (source, legacy) => {
    let discovery: Discovery;
    beforeAll(() => {
      discovery = new Discovery(recording(node, legacy).transport);
    });

    it.each(table)(
      'resolves %s to %s/%s %s (%s)',
      async (name, group, version, resource, kind, namespaced) => {
        const rt = await discovery.resolve(name);
        expect({
          group: rt.group,
          version: rt.version,
          resource: rt.resource,
          kind: rt.kind,
          namespaced: rt.namespaced,
        }).toEqual({ group, version, resource, kind, namespaced });
        expect(discovery.stats().source).toBe(legacy ? 'legacy' : 'aggregated');
      },
    );

    it('records verbs, short names, the singular and the subresources', async () => {
      const rt = await discovery.resolve('deploy');
      expect(rt.verbs).toEqual(
        expect.arrayContaining(['create', 'get', 'list', 'watch', 'update', 'patch', 'delete']),
      );
      expect(rt.shortNames).toEqual(['deploy']);
      expect(rt.singularName).toBe('deployment');
      expect([...(rt.subresources ?? [])].sort()).toEqual(['scale', 'status']);
    });

    it('reports an unknown kind with the closest names the server serves', async () => {
      const error = await discovery.resolve('Deploymnet').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnknownKindError);
      expect((error as UnknownKindError).suggestions[0]).toBe('Deployment');
      expect((error as Error).message).toMatch(
        /^unknown kind "Deploymnet": the server has no resource type by that name\. Did you mean "Deployment"/,
      );
      expect((error as Error).message).toContain('kubectl api-resources');
      expect(source).toBeTruthy();
    });
  });

  it('takes two requests for a cold resolve with aggregated discovery, and none when warm', async () => {
    // A transport of its own, so the cold time includes the TLS handshake.
    const kc = new KubeConfig();
    kc.loadFromFile(server.kubeconfigPath);
    const fresh = createNodeTransport(kc);
    const { transport, paths } = recording(fresh);
    const discovery = new Discovery(transport);
    const cold = performance.now();
    await discovery.resolve('deploy');
    const coldMs = performance.now() - cold;
    expect([...paths].sort()).toEqual(['/api', '/apis']);
    const warm = performance.now();
    for (const row of table) await discovery.resolve(row[0]);
    const warmMs = (performance.now() - warm) / table.length;
    expect(paths).toHaveLength(2);
    console.info(
      `discovery (aggregated): cold resolve ${coldMs.toFixed(1)} ms in 2 requests (new connection); warm ` +
        `resolve ${(warmMs * 1000).toFixed(1)} us, 0 requests`,
    );
    fresh.close();
  });

  it('falls back to per-group discovery for a server without aggregated discovery', async () => {
    const { transport, paths } = recording(node, true);
    const discovery = new Discovery(transport);
    const cold = performance.now();
    await discovery.resolve('deploy');
    const coldMs = performance.now() - cold;
    expect(discovery.stats().source).toBe('legacy');
    expect(paths).toContain('/apis/apps/v1');
    expect(paths).toContain('/api/v1');
    expect(discovery.stats().requests).toBe(paths.length);
    console.info(`discovery (legacy): cold resolve ${coldMs.toFixed(1)} ms in ${paths.length} requests`);
  });

  it('lists the resource types of a group at its preferred version, once each', async () => {
    const discovery = new Discovery(node);
    const autoscaling = await discovery.resourcesOf('autoscaling');
    expect(autoscaling.map((rt) => `${rt.resource}@${rt.version}`)).toEqual(['horizontalpodautoscalers@v2']);
    const core = await discovery.resourcesOf('');
    expect(core.map((rt) => rt.resource)).toEqual(expect.arrayContaining(['pods', 'services', 'configmaps']));
    expect(core.every((rt) => rt.group === '')).toBe(true);
    const all = await discovery.resourcesOf();
    expect(all.length).toBeGreaterThan(core.length);
  });

  it('resolves an object by its apiVersion and kind, and names the versions that serve a kind at another', async () => {
    const discovery = new Discovery(node);
    expect((await discovery.resolveObject({ apiVersion: 'apps/v1', kind: 'Deployment' })).resource).toBe(
      'deployments',
    );
    expect(
      (await discovery.resolveObject({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler' }))
        .version,
    ).toBe('v1');
    const error = await discovery
      .resolveObject({ apiVersion: 'apps/v1beta1', kind: 'Deployment' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownKindError);
    expect((error as Error).message).toContain('apps/v1beta1 does not serve Deployment');
    expect((error as UnknownKindError).suggestions).toEqual(['apps/v1/Deployment']);
  });

  it('refreshes once on a miss, and at most once per interval however many misses', async () => {
    const { transport, paths } = recording(node);
    const discovery = new Discovery(transport, { minRefreshIntervalMs: 300 });
    await discovery.resolve('pods');
    expect(paths).toHaveLength(2);
    const started = performance.now();
    const misses = await Promise.all(
      ['nope1', 'nope2', 'nope3'].map((n) => discovery.resolve(n).catch((e: unknown) => e)),
    );
    expect(misses.every((e) => e instanceof UnknownKindError)).toBe(true);
    // One shared refresh, held back until the interval since the last round had passed.
    expect(paths).toHaveLength(4);
    expect(performance.now() - started).toBeGreaterThanOrEqual(200);
  });

  it("says that a kind name holds no object name when given kubectl's type/name", async () => {
    const discovery = new Discovery(node, { minRefreshIntervalMs: 0 });
    const error = await discovery.resolve('deploy/web').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownKindError);
    expect((error as Error).message).toContain('it holds no object name');
    expect((error as UnknownKindError).suggestions).toContain('deployments.apps');
  });
});
