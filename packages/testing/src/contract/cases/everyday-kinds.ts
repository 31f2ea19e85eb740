import { describe, expect, it } from 'vitest';
import type { ContractContext } from './context.js';

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const ALL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

interface Expected {
  readonly resource: string;
  readonly kind: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly shortNames?: string[];
  readonly categories?: string[];
  readonly verbs?: string[];
  /** Subresources the fake serves (status, scale); the apiserver may serve more. */
  readonly subresources?: string[];
}

// The kinds kubectl users reach for, as a v1.37 apiserver describes them in aggregated discovery.
const EXPECTED: Record<string, Expected[]> = {
  '': [
    {
      resource: 'persistentvolumeclaims',
      kind: 'PersistentVolumeClaim',
      scope: 'Namespaced',
      shortNames: ['pvc'],
      subresources: ['status'],
    },
    {
      resource: 'persistentvolumes',
      kind: 'PersistentVolume',
      scope: 'Cluster',
      shortNames: ['pv'],
      subresources: ['status'],
    },
    {
      resource: 'resourcequotas',
      kind: 'ResourceQuota',
      scope: 'Namespaced',
      shortNames: ['quota'],
      subresources: ['status'],
    },
    { resource: 'limitranges', kind: 'LimitRange', scope: 'Namespaced', shortNames: ['limits'] },
    {
      resource: 'replicationcontrollers',
      kind: 'ReplicationController',
      scope: 'Namespaced',
      shortNames: ['rc'],
      categories: ['all'],
      subresources: ['scale', 'status'],
    },
  ],
  batch: [
    { resource: 'jobs', kind: 'Job', scope: 'Namespaced', categories: ['all'], subresources: ['status'] },
    {
      resource: 'cronjobs',
      kind: 'CronJob',
      scope: 'Namespaced',
      shortNames: ['cj'],
      categories: ['all'],
      subresources: ['status'],
    },
  ],
  autoscaling: [
    {
      resource: 'horizontalpodautoscalers',
      kind: 'HorizontalPodAutoscaler',
      scope: 'Namespaced',
      shortNames: ['hpa'],
      categories: ['all'],
      subresources: ['status'],
    },
  ],
  'networking.k8s.io': [
    {
      resource: 'ingresses',
      kind: 'Ingress',
      scope: 'Namespaced',
      shortNames: ['ing'],
      subresources: ['status'],
    },
    { resource: 'networkpolicies', kind: 'NetworkPolicy', scope: 'Namespaced', shortNames: ['netpol'] },
    { resource: 'ingressclasses', kind: 'IngressClass', scope: 'Cluster' },
  ],
  policy: [
    {
      resource: 'poddisruptionbudgets',
      kind: 'PodDisruptionBudget',
      scope: 'Namespaced',
      shortNames: ['pdb'],
      subresources: ['status'],
    },
  ],
  'rbac.authorization.k8s.io': [
    { resource: 'roles', kind: 'Role', scope: 'Namespaced' },
    { resource: 'rolebindings', kind: 'RoleBinding', scope: 'Namespaced' },
    { resource: 'clusterroles', kind: 'ClusterRole', scope: 'Cluster' },
    { resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', scope: 'Cluster' },
  ],
  'storage.k8s.io': [
    { resource: 'storageclasses', kind: 'StorageClass', scope: 'Cluster', shortNames: ['sc'] },
  ],
  'scheduling.k8s.io': [
    { resource: 'priorityclasses', kind: 'PriorityClass', scope: 'Cluster', shortNames: ['pc'] },
  ],
  'authentication.k8s.io': [
    { resource: 'selfsubjectreviews', kind: 'SelfSubjectReview', scope: 'Cluster', verbs: ['create'] },
  ],
  'authorization.k8s.io': [
    {
      resource: 'selfsubjectaccessreviews',
      kind: 'SelfSubjectAccessReview',
      scope: 'Cluster',
      verbs: ['create'],
    },
    {
      resource: 'selfsubjectrulesreviews',
      kind: 'SelfSubjectRulesReview',
      scope: 'Cluster',
      verbs: ['create'],
    },
    {
      resource: 'subjectaccessreviews',
      kind: 'SubjectAccessReview',
      scope: 'Cluster',
      verbs: ['create'],
    },
  ],
};

interface DiscoveredResource {
  resource: string;
  responseKind: { kind: string };
  scope: string;
  shortNames?: string[];
  categories?: string[];
  verbs: string[];
  subresources?: { subresource: string }[];
}

export function everydayKindsContract(ctx: ContractContext) {
  describe('the kinds kubectl users reach for', () => {
    it('are in aggregated discovery with their scope, short names, categories, verbs and status and scale', async () => {
      const core = (await ctx.http().get('/api', { accept: AGGREGATED })).body.items[0];
      const groups = (await ctx.http().get('/apis', { accept: AGGREGATED })).body.items;
      for (const [group, expected] of Object.entries(EXPECTED)) {
        const item = group
          ? groups.find((g: { metadata: { name: string } }) => g.metadata.name === group)
          : core;
        expect(item, group).toBeDefined();
        const resources: DiscoveredResource[] = item.versions[0].resources;
        for (const e of expected) {
          const found = resources.find((r) => r.resource === e.resource);
          expect(found, `${group}/${e.resource}`).toMatchObject({
            resource: e.resource,
            responseKind: { kind: e.kind },
            scope: e.scope,
            verbs: e.verbs ?? ALL,
          });
          expect(found?.shortNames, e.resource).toEqual(e.shortNames);
          expect(found?.categories, e.resource).toEqual(e.categories);
          const subresources = (found?.subresources ?? [])
            .map((s) => s.subresource)
            .filter((s) => s === 'status' || s === 'scale');
          expect(subresources, e.resource).toEqual(e.subresources ?? []);
        }
      }
      const autoscaling = groups.find(
        (g: { metadata: { name: string } }) => g.metadata.name === 'autoscaling',
      );
      expect(autoscaling.versions.map((v: { version: string }) => v.version)).toEqual(['v2', 'v1']);
    });

    it('store a Job with generation 1 and an empty status, and RBAC names with colons', async () => {
      const name = ctx.name('job');
      const job = await ctx.http().post(`/apis/batch/v1/namespaces/${ctx.namespace()}/jobs`, {
        metadata: { name },
        spec: {
          template: {
            spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36' }] },
          },
        },
      });
      expect(job.status).toBe(201);
      expect(job.body.metadata.generation).toBe(1);
      expect(job.body.status).toEqual({});
      const role = `kates:contract:${ctx.name('reader')}`;
      const created = await ctx
        .http()
        .post(`/apis/rbac.authorization.k8s.io/v1/namespaces/${ctx.namespace()}/roles`, {
          metadata: { name: role },
          rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
        });
      expect(created.status).toBe(201);
      expect(created.body.metadata.generation).toBeUndefined();
      expect(created.body.rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);
    });
  });

  describe('reviews', () => {
    it('answer `kubectl auth whoami` with the user, its uid and its groups', async () => {
      const review = { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' };
      const admin = await ctx.http().post('/apis/authentication.k8s.io/v1/selfsubjectreviews', review);
      expect(admin.status).toBe(201);
      expect(admin.body).toMatchObject({ kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1' });
      expect(admin.body.status.userInfo).toEqual({
        username: 'kates-admin',
        uid: 'kates-admin',
        groups: ['system:masters', 'system:authenticated'],
      });
      const nobody = await ctx
        .target()
        .nobody.post('/apis/authentication.k8s.io/v1/selfsubjectreviews', review);
      expect(nobody.body.status.userInfo).toEqual({
        username: 'kates-nobody',
        uid: 'kates-nobody',
        groups: ['system:authenticated'],
      });
    });

    it('answer `kubectl auth can-i`: the admin may, nobody may only read discovery', async () => {
      const path = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
      const create = {
        spec: { resourceAttributes: { namespace: ctx.namespace(), verb: 'create', resource: 'configmaps' } },
      };
      const admin = await ctx.http().post(path, create);
      expect(admin.status).toBe(201);
      expect(admin.body.spec).toEqual(create.spec);
      expect(admin.body.status).toEqual({ allowed: true });
      const nobody = await ctx.target().nobody.post(path, create);
      expect(nobody.status).toBe(201);
      expect(nobody.body.status).toEqual({ allowed: false });
      const discovery = await ctx
        .target()
        .nobody.post(path, { spec: { nonResourceAttributes: { path: '/api', verb: 'get' } } });
      expect(discovery.body.status).toEqual({
        allowed: true,
        reason:
          'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"',
      });
      // Every authenticated user may read health and version, and ask about itself
      // (system:basic-user). Two roles grant /healthz; kube-apiserver names whichever binding its
      // walk meets first, which varies.
      const health = await ctx
        .target()
        .nobody.post(path, { spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' } } });
      expect(health.body.status.allowed).toBe(true);
      expect(health.body.status.reason).toMatch(
        /^RBAC: allowed by ClusterRoleBinding "(system:discovery|system:public-info-viewer)" of ClusterRole "\1" to Group "system:authenticated"$/,
      );
      const self = await ctx.target().nobody.post(path, {
        spec: {
          resourceAttributes: {
            verb: 'create',
            group: 'authentication.k8s.io',
            resource: 'selfsubjectreviews',
          },
        },
      });
      expect(self.body.status).toEqual({
        allowed: true,
        reason:
          'RBAC: allowed by ClusterRoleBinding "system:basic-user" of ClusterRole "system:basic-user" to Group "system:authenticated"',
      });
      const neither = await ctx.http().post(path, { spec: {} });
      expect(neither.status).toBe(422);
      expect(neither.body.message).toBe(
        '.authorization.k8s.io "" is invalid: spec: Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified',
      );
    });

    it('answer `kubectl auth can-i --list` with the rules of the admin and of nobody, as sets', async () => {
      const path = '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews';
      const review = {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectRulesReview',
        spec: { namespace: ctx.namespace() },
      };
      // kube-apiserver lists the rules in the order RBAC walks the bindings, which varies.
      const asSet = (rules: unknown[]) => rules.map((r) => JSON.stringify(r)).sort();
      const selfReviews = [
        {
          verbs: ['create'],
          apiGroups: ['authorization.k8s.io'],
          resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
        },
        { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
      ];
      const publicInfo = ['/healthz', '/livez', '/readyz', '/version', '/version/'];
      const discovery = [
        {
          verbs: ['get'],
          nonResourceURLs: [
            '/api',
            '/api/*',
            '/apis',
            '/apis/*',
            '/healthz',
            '/livez',
            '/openapi',
            '/openapi/*',
            '/readyz',
            '/version',
            '/version/',
          ],
        },
        { verbs: ['get'], nonResourceURLs: publicInfo },
      ];
      const admin = await ctx.http().post(path, review);
      expect(admin.status).toBe(201);
      expect(admin.body).toMatchObject({
        kind: 'SelfSubjectRulesReview',
        apiVersion: 'authorization.k8s.io/v1',
        spec: {},
        status: { incomplete: false },
      });
      expect(asSet(admin.body.status.resourceRules)).toEqual(
        asSet([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, ...selfReviews]),
      );
      expect(asSet(admin.body.status.nonResourceRules)).toEqual(
        asSet([{ verbs: ['*'], nonResourceURLs: ['*'] }, ...discovery]),
      );
      const nobody = await ctx.target().nobody.post(path, review);
      expect(nobody.status).toBe(201);
      expect(asSet(nobody.body.status.resourceRules)).toEqual(asSet(selfReviews));
      expect(asSet(nobody.body.status.nonResourceRules)).toEqual(asSet(discovery));
      const noNamespace = await ctx.http().post(path, { spec: {} });
      expect(noNamespace.status).toBe(400);
      expect(noNamespace.body).toMatchObject({ reason: 'BadRequest', message: 'no namespace on request' });
    });

    it('answer a SubjectAccessReview about any user and groups, which only a user allowed to create one may ask', async () => {
      const path = '/apis/authorization.k8s.io/v1/subjectaccessreviews';
      const resourceAttributes = { namespace: ctx.namespace(), verb: 'list', resource: 'configmaps' };
      const about = (spec: Record<string, unknown>) => ({
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec,
      });
      const master = { user: 'kates-contract-a', groups: ['system:masters', 'system:authenticated'] };
      const allowed = await ctx.http().post(path, about({ ...master, resourceAttributes }));
      expect(allowed.status).toBe(201);
      expect(allowed.body).toMatchObject({
        kind: 'SubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
      });
      expect(allowed.body.spec).toEqual({ ...master, resourceAttributes });
      expect(allowed.body.status).toEqual({ allowed: true });
      const plain = { user: 'kates-contract-b', groups: ['system:authenticated'] };
      const denied = await ctx.http().post(path, about({ ...plain, resourceAttributes }));
      expect(denied.status).toBe(201);
      expect(denied.body.status).toEqual({ allowed: false });
      const discovery = await ctx
        .http()
        .post(path, about({ ...plain, nonResourceAttributes: { path: '/apis', verb: 'get' } }));
      expect(discovery.body.status).toEqual({
        allowed: true,
        reason:
          'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"',
      });
      // Without the group every authenticated user is in, not even discovery.
      const ungrouped = await ctx
        .http()
        .post(
          path,
          about({ user: 'kates-contract-c', nonResourceAttributes: { path: '/apis', verb: 'get' } }),
        );
      expect(ungrouped.body.status).toEqual({ allowed: false });
      const asked = await ctx.target().nobody.post(path, about({ ...master, resourceAttributes }));
      expect(asked.status).toBe(403);
      expect(asked.body.message).toBe(
        'subjectaccessreviews.authorization.k8s.io is forbidden: User "kates-nobody" cannot create resource "subjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope',
      );
      const nobodyNamed = await ctx.http().post(path, about({ resourceAttributes }));
      expect(nobodyNamed.status).toBe(422);
      expect(nobodyNamed.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          '.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified',
        reason: 'Invalid',
        details: {
          group: 'authorization.k8s.io',
          causes: [
            {
              reason: 'FieldValueInvalid',
              message: 'Invalid value: "": at least one of user or group must be specified',
              field: 'spec.user',
            },
          ],
        },
        code: 422,
      });
      const neither = await ctx.http().post(path, about({ ...plain }));
      expect(neither.status).toBe(422);
      expect(neither.body.message).toBe(
        '.authorization.k8s.io "" is invalid: spec: Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified',
      );
      const empty = await ctx.http().post(path, about({}));
      expect(empty.status).toBe(422);
      expect(empty.body.message).toBe(
        '.authorization.k8s.io "" is invalid: [spec: Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified, spec.user: Invalid value: "": at least one of user or group must be specified]',
      );
    });
  });
}
