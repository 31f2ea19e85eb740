import { describe, expect, it } from 'vitest';
import { type ContractContext, deployments } from './context.js';

// The values a v1.37 kube-apiserver gives what a manifest leaves out, read from one (its
// generated defaulters, and on create the Priority and DefaultTolerationSeconds admission plugins).

const CONTAINER_DEFAULTS = {
  resources: {},
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
};

const TEMPLATE_SPEC_DEFAULTS = {
  restartPolicy: 'Always',
  terminationGracePeriodSeconds: 30,
  dnsPolicy: 'ClusterFirst',
  securityContext: {},
  schedulerName: 'default-scheduler',
};

const pods = (ns: string) => `/api/v1/namespaces/${ns}/pods`;
const services = (ns: string) => `/api/v1/namespaces/${ns}/services`;
const jobs = (ns: string) => `/apis/batch/v1/namespaces/${ns}/jobs`;
const cronJobs = (ns: string) => `/apis/batch/v1/namespaces/${ns}/cronjobs`;
const statefulSets = (ns: string) => `/apis/apps/v1/namespaces/${ns}/statefulsets`;
const daemonSets = (ns: string) => `/apis/apps/v1/namespaces/${ns}/daemonsets`;

/** A Deployment as a user writes it: two containers, one with a port, images with and without a tag. */
function bareDeployment(name: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            { name: 'main', image: 'nginx:1.27', ports: [{ containerPort: 8080 }] },
            { name: 'side', image: 'busybox' },
          ],
        },
      },
    },
  };
}

function defaultedDeploymentSpec(name: string, replicas = 1) {
  return {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [
          {
            name: 'main',
            image: 'nginx:1.27',
            ports: [{ containerPort: 8080, protocol: 'TCP' }],
            ...CONTAINER_DEFAULTS,
            imagePullPolicy: 'IfNotPresent',
          },
          { name: 'side', image: 'busybox', ...CONTAINER_DEFAULTS, imagePullPolicy: 'Always' },
        ],
        ...TEMPLATE_SPEC_DEFAULTS,
      },
    },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
  };
}

/** The job name and uid labels the job registry puts on a Job's pod template. */
function jobLabels(name: string, uid: string) {
  return {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
}

export function defaultingContract(ctx: ContractContext) {
  describe('built-in defaulting', () => {
    it('gives a new Deployment its strategy, limits, replicas and pod template defaults', async () => {
      const name = ctx.name('bare');
      const created = await ctx.http().post(deployments(ctx.namespace()), bareDeployment(name));
      expect(created.status).toBe(201);
      expect(created.body.spec).toEqual(defaultedDeploymentSpec(name));
      expect(created.body.status).toEqual({});
    });

    it('defaults again what an update, a patch and a server-side apply leave out', async () => {
      const name = ctx.name('again');
      const path = `${deployments(ctx.namespace())}/${name}`;
      const created = await ctx.http().post(deployments(ctx.namespace()), bareDeployment(name));
      expect(created.status).toBe(201);
      const put = await ctx
        .http()
        .put(path, { ...bareDeployment(name), spec: { ...bareDeployment(name).spec, replicas: 2 } });
      expect(put.status).toBe(200);
      expect(put.body.spec).toEqual(defaultedDeploymentSpec(name, 2));
      const patched = await ctx.http().patch(path, 'application/merge-patch+json', {
        spec: { strategy: null, revisionHistoryLimit: null, progressDeadlineSeconds: null },
      });
      expect(patched.status).toBe(200);
      expect(patched.body.spec).toEqual(defaultedDeploymentSpec(name, 2));
      const recreate = await ctx.http().patch(path, 'application/strategic-merge-patch+json', {
        spec: { strategy: { type: 'Recreate', rollingUpdate: null } },
      });
      expect(recreate.body.spec.strategy).toEqual({ type: 'Recreate' });
      const appliedName = ctx.name('applied');
      const applied = await ctx
        .http()
        .patch(
          `${deployments(ctx.namespace())}/${appliedName}?fieldManager=contract`,
          'application/apply-patch+yaml',
          bareDeployment(appliedName),
        );
      expect(applied.status).toBe(201);
      expect(applied.body.spec).toEqual(defaultedDeploymentSpec(appliedName));
    });

    it('gives a Pod the PodSpec defaults, service links, priority and the not-ready tolerations', async () => {
      const name = ctx.name('pod');
      const created = await ctx.http().post(pods(ctx.namespace()), {
        metadata: { name },
        spec: {
          volumes: [{ name: 'a', configMap: { name: 'x' } }, { name: 'b' }],
          containers: [
            {
              name: 'main',
              image: 'busybox:latest',
              env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
              livenessProbe: { httpGet: { port: 80 } },
              // Set, so that a LimitRange another case leaves in the namespace adds nothing.
              resources: { limits: { cpu: '500m' } },
            },
          ],
        },
      });
      expect(created.status).toBe(201);
      expect(created.body.spec).toEqual({
        volumes: [
          { name: 'a', configMap: { name: 'x', defaultMode: 420 } },
          { name: 'b', emptyDir: {} },
        ],
        containers: [
          {
            name: 'main',
            image: 'busybox:latest',
            env: [{ name: 'N', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }],
            livenessProbe: {
              httpGet: { path: '/', port: 80, scheme: 'HTTP' },
              timeoutSeconds: 1,
              periodSeconds: 10,
              successThreshold: 1,
              failureThreshold: 3,
            },
            ...CONTAINER_DEFAULTS,
            resources: { limits: { cpu: '500m' }, requests: { cpu: '500m' } },
            imagePullPolicy: 'Always',
          },
        ],
        ...TEMPLATE_SPEC_DEFAULTS,
        tolerations: [
          {
            key: 'node.kubernetes.io/not-ready',
            operator: 'Exists',
            effect: 'NoExecute',
            tolerationSeconds: 300,
          },
          {
            key: 'node.kubernetes.io/unreachable',
            operator: 'Exists',
            effect: 'NoExecute',
            tolerationSeconds: 300,
          },
        ],
        priority: 0,
        enableServiceLinks: true,
        preemptionPolicy: 'PreemptLowerPriority',
      });
      expect(created.body.status).toEqual({ phase: 'Pending', qosClass: 'Burstable' });
    });

    it("gives a LimitRange's container item its default limit and request from max and min", async () => {
      // A namespace of its own: a LimitRange with defaults changes every Pod created beside it.
      const ns = ctx.name('limits');
      expect((await ctx.http().post('/api/v1/namespaces', { metadata: { name: ns } })).status).toBe(201);
      try {
        const created = await ctx.http().post(`/api/v1/namespaces/${ns}/limitranges`, {
          metadata: { name: 'limits' },
          spec: {
            limits: [
              { type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' } },
              { type: 'Pod', max: { cpu: '4' } },
            ],
          },
        });
        expect(created.body.spec.limits).toEqual([
          {
            type: 'Container',
            max: { cpu: '2' },
            min: { memory: '64Mi' },
            default: { cpu: '2' },
            defaultRequest: { cpu: '2', memory: '64Mi' },
          },
          { type: 'Pod', max: { cpu: '4' } },
        ]);
      } finally {
        await ctx.http().delete(`/api/v1/namespaces/${ns}`);
      }
    });

    it("gives a Service its type, session affinity, traffic policies and each port's protocol and target", async () => {
      const name = ctx.name('svc');
      const created = await ctx.http().post(services(ctx.namespace()), {
        metadata: { name },
        spec: {
          type: 'NodePort',
          ports: [
            { name: 'http', port: 80 },
            { name: 'dns', port: 53, protocol: 'UDP', targetPort: 5353 },
          ],
        },
      });
      expect(created.status).toBe(201);
      const {
        clusterIP: _ip,
        clusterIPs: _ips,
        ipFamilies: _f,
        ipFamilyPolicy: _p,
        ...spec
      } = created.body.spec;
      const ports = spec.ports.map(({ nodePort: _n, ...port }: Record<string, unknown>) => port);
      expect({ ...spec, ports }).toEqual({
        ports: [
          { name: 'http', protocol: 'TCP', port: 80, targetPort: 80 },
          { name: 'dns', protocol: 'UDP', port: 53, targetPort: 5353 },
        ],
        type: 'NodePort',
        sessionAffinity: 'None',
        externalTrafficPolicy: 'Cluster',
        internalTrafficPolicy: 'Cluster',
      });
      expect(created.body.status).toEqual({ loadBalancer: {} });
      const external = await ctx.http().post(services(ctx.namespace()), {
        metadata: { name: ctx.name('ext') },
        spec: { type: 'ExternalName', externalName: 'example.com' },
      });
      expect(external.body.spec).toEqual({
        externalName: 'example.com',
        type: 'ExternalName',
        sessionAffinity: 'None',
      });
    });

    it("gives a Job its limits and a selector of its uid, and a CronJob's pod template its defaults", async () => {
      const name = ctx.name('job');
      const template = {
        spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] },
      };
      const job = await ctx.http().post(jobs(ctx.namespace()), { metadata: { name }, spec: { template } });
      expect(job.status).toBe(201);
      const uid = job.body.metadata.uid;
      expect(job.body.metadata.labels).toEqual(jobLabels(name, uid));
      expect(job.body.spec).toEqual({
        parallelism: 1,
        completions: 1,
        backoffLimit: 6,
        selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
        manualSelector: false,
        template: {
          metadata: { labels: jobLabels(name, uid) },
          spec: {
            containers: [
              { name: 'c', image: 'busybox:1.36', ...CONTAINER_DEFAULTS, imagePullPolicy: 'IfNotPresent' },
            ],
            ...TEMPLATE_SPEC_DEFAULTS,
            restartPolicy: 'Never',
          },
        },
        completionMode: 'NonIndexed',
        suspend: false,
        podReplacementPolicy: 'TerminatingOrFailed',
      });
      const cron = await ctx.http().post(cronJobs(ctx.namespace()), {
        metadata: { name: ctx.name('cron') },
        spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template } } },
      });
      expect(cron.status).toBe(201);
      expect(cron.body.spec).toEqual({
        schedule: '0 3 * * *',
        concurrencyPolicy: 'Allow',
        suspend: false,
        jobTemplate: {
          metadata: {},
          spec: {
            template: {
              metadata: {},
              spec: {
                containers: [
                  {
                    name: 'c',
                    image: 'busybox:1.36',
                    ...CONTAINER_DEFAULTS,
                    imagePullPolicy: 'IfNotPresent',
                  },
                ],
                ...TEMPLATE_SPEC_DEFAULTS,
                restartPolicy: 'Never',
              },
            },
          },
        },
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
      });
    });

    it('gives a StatefulSet and a DaemonSet their update strategies and history limits', async () => {
      const template = (app: string) => ({
        metadata: { labels: { app } },
        spec: { containers: [{ name: 'c', image: 'nginx:1' }] },
      });
      const set = await ctx.http().post(statefulSets(ctx.namespace()), {
        metadata: { name: ctx.name('sts') },
        spec: { serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: template('db') },
      });
      expect(set.status).toBe(201);
      const { template: setTemplate, ...setSpec } = set.body.spec;
      expect(setSpec).toEqual({
        replicas: 1,
        selector: { matchLabels: { app: 'db' } },
        serviceName: 'db',
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 1 } },
        revisionHistoryLimit: 10,
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      });
      expect(setTemplate.spec).toMatchObject(TEMPLATE_SPEC_DEFAULTS);
      const daemons = await ctx.http().post(daemonSets(ctx.namespace()), {
        metadata: { name: ctx.name('ds') },
        spec: { selector: { matchLabels: { app: 'agent' } }, template: template('agent') },
      });
      expect(daemons.status).toBe(201);
      const { template: _t, ...daemonSpec } = daemons.body.spec;
      expect(daemonSpec).toEqual({
        selector: { matchLabels: { app: 'agent' } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        revisionHistoryLimit: 10,
      });
    });

    it('gives network policies, RBAC subjects, priority and storage classes and v2 autoscalers their defaults', async () => {
      const ns = ctx.namespace();
      const policy = await ctx.http().post(`/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies`, {
        metadata: { name: ctx.name('np') },
        spec: { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }], egress: [{}] },
      });
      expect(policy.body.spec).toEqual({
        podSelector: {},
        ingress: [{ ports: [{ protocol: 'TCP', port: 80 }] }],
        egress: [{}],
        policyTypes: ['Ingress', 'Egress'],
      });
      const binding = await ctx
        .http()
        .post(`/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
          metadata: { name: ctx.name('rb') },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
          subjects: [
            { kind: 'User', name: 'alice' },
            { kind: 'ServiceAccount', name: 'robot' },
          ],
        });
      expect(binding.body.subjects).toEqual([
        { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' },
        { kind: 'ServiceAccount', name: 'robot' },
      ]);
      const hpa = await ctx.http().post(`/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`, {
        metadata: { name: ctx.name('hpa') },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5 },
      });
      expect(hpa.body.spec).toEqual({
        scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
        minReplicas: 1,
        maxReplicas: 5,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
          },
        ],
      });
      const priority = ctx.name('kates-contract-pc');
      const storage = ctx.name('kates-contract-sc');
      try {
        const pc = await ctx
          .http()
          .post('/apis/scheduling.k8s.io/v1/priorityclasses', { metadata: { name: priority }, value: 5 });
        expect(pc.body).toMatchObject({ value: 5, preemptionPolicy: 'PreemptLowerPriority' });
        const sc = await ctx.http().post('/apis/storage.k8s.io/v1/storageclasses', {
          metadata: { name: storage },
          provisioner: 'example.com/none',
        });
        expect(sc.body).toMatchObject({ reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
      } finally {
        await ctx.http().delete(`/apis/scheduling.k8s.io/v1/priorityclasses/${priority}`);
        await ctx.http().delete(`/apis/storage.k8s.io/v1/storageclasses/${storage}`);
      }
    });
  });
}
