import { describe, expect, it } from 'vitest';
import { type ContractContext, failure } from './context.js';

// The test cluster's --service-cluster-ip-range is 10.0.0.0/24: the apiserver's own Service has
// 10.0.0.1, addresses asked for by value come from the low band (up to .16), dynamic ones from above.
const DYNAMIC_IP = /^10\.0\.0\.(1[7-9]|[2-9]\d|1\d\d|2[0-4]\d|25[0-4])$/;
// A low-band address no other test asks for, so it is free on the shared real cluster.
const REQUESTED_IP = '10.0.0.13';

const services = (ns: string) => `/api/v1/namespaces/${ns}/services`;

function service(name: string, spec: Record<string, unknown> = {}) {
  return { metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec } };
}

function invalid(name: string, field: string, message: string) {
  return failure(422, 'Invalid', `Service "${name}" is invalid: ${field}: ${message}`, {
    name,
    kind: 'Service',
    causes: [{ reason: 'FieldValueInvalid', message, field }],
  });
}

export function serviceAddressesContract(ctx: ContractContext) {
  describe('service addresses', () => {
    it('gives each Service a free cluster IP of its own from the service range, IPv4 single-stack', async () => {
      const created = await Promise.all(
        [ctx.name('svc'), ctx.name('svc')].map((name) =>
          ctx.http().post(services(ctx.namespace()), service(name)),
        ),
      );
      const ips = created.map((c) => {
        expect(c.status).toBe(201);
        const { clusterIP, clusterIPs, ipFamilies, ipFamilyPolicy } = c.body.spec;
        expect(clusterIP).toMatch(DYNAMIC_IP);
        expect({ clusterIPs, ipFamilies, ipFamilyPolicy }).toEqual({
          clusterIPs: [clusterIP],
          ipFamilies: ['IPv4'],
          ipFamilyPolicy: 'SingleStack',
        });
        return clusterIP;
      });
      expect(new Set(ips).size).toBe(2);
      // Allocated, not set by the writer: the creator's managedFields do not own them.
      expect(JSON.stringify(created[0]?.body.metadata.managedFields)).not.toContain('f:clusterIP');
    });

    it('honours a requested IP, refuses it while taken or outside the range, and frees it on delete', async () => {
      const ns = ctx.namespace();
      const first = ctx.name('fixed');
      const taken = ctx.name('taken');
      const created = await ctx.http().post(services(ns), service(first, { clusterIP: REQUESTED_IP }));
      expect(created.status).toBe(201);
      expect(created.body.spec.clusterIPs).toEqual([REQUESTED_IP]);
      const again = await ctx.http().post(services(ns), service(taken, { clusterIP: REQUESTED_IP }));
      expect(again.body).toEqual(
        invalid(
          taken,
          'spec.clusterIPs',
          `Invalid value: ["${REQUESTED_IP}"]: failed to allocate IP ${REQUESTED_IP}: provided IP is already allocated`,
        ),
      );
      for (const ip of ['10.1.0.5', '10.0.0.255']) {
        const outside = await ctx.http().post(services(ns), service(taken, { clusterIP: ip }));
        expect(outside.body).toEqual(
          invalid(
            taken,
            'spec.clusterIPs',
            `Invalid value: ["${ip}"]: failed to allocate IP ${ip}: the provided network does not match the current range`,
          ),
        );
      }
      const bad = await ctx.http().post(services(ns), service(taken, { clusterIP: 'banana' }));
      expect(bad.body).toEqual(
        invalid(
          taken,
          'spec.clusterIPs[0]',
          'Invalid value: "banana": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
        ),
      );
      expect((await ctx.http().delete(`${services(ns)}/${first}`)).status).toBe(200);
      const reused = await ctx.http().post(services(ns), service(taken, { clusterIP: REQUESTED_IP }));
      expect(reused.status).toBe(201);
      expect((await ctx.http().delete(`${services(ns)}/${taken}`)).status).toBe(200);
    });

    it('keeps the cluster IP on an update that leaves it out, and refuses one that changes it', async () => {
      const name = ctx.name('kept');
      const path = `${services(ctx.namespace())}/${name}`;
      const created = await ctx.http().post(services(ctx.namespace()), service(name));
      const ip = created.body.spec.clusterIP;
      const replaced = await ctx.http().put(path, service(name, { ports: [{ port: 81 }] }));
      expect(replaced.status).toBe(200);
      expect(replaced.body.spec).toMatchObject({ clusterIP: ip, clusterIPs: [ip], ipFamilies: ['IPv4'] });
      const moved = await ctx.http().put(path, service(name, { clusterIP: '10.0.0.14' }));
      expect(moved.body).toEqual(
        invalid(name, 'spec.clusterIPs[0]', 'Invalid value: ["10.0.0.14"]: may not change once set'),
      );
    });

    it('makes a headless Service None, dual-stack only without a selector, and refuses dual-stack otherwise', async () => {
      const ns = ctx.namespace();
      const headless = await ctx
        .http()
        .post(services(ns), service(ctx.name('headless'), { clusterIP: 'None' }));
      expect(headless.status).toBe(201);
      expect(headless.body.spec).toMatchObject({
        clusterIP: 'None',
        clusterIPs: ['None'],
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
      });
      const bare = await ctx
        .http()
        .post(services(ns), { metadata: { name: ctx.name('bare') }, spec: { clusterIP: 'None' } });
      expect(bare.body.spec).toMatchObject({
        clusterIPs: ['None'],
        ipFamilies: ['IPv4', 'IPv6'],
        ipFamilyPolicy: 'RequireDualStack',
      });
      const name = ctx.name('dual');
      const dual = await ctx.http().post(services(ns), service(name, { ipFamilyPolicy: 'RequireDualStack' }));
      expect(dual.body).toEqual(
        invalid(
          name,
          'spec.ipFamilyPolicy',
          'Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
        ),
      );
      const v6 = await ctx.http().post(services(ns), service(name, { ipFamilies: ['IPv6'] }));
      expect(v6.body).toEqual(
        invalid(name, 'spec.ipFamilies[0]', 'Invalid value: "IPv6": not configured on this cluster'),
      );
      const prefer = await ctx
        .http()
        .post(services(ns), service(name, { ipFamilyPolicy: 'PreferDualStack' }));
      expect(prefer.body.spec).toMatchObject({ ipFamilies: ['IPv4'], ipFamilyPolicy: 'PreferDualStack' });
    });

    it('gives NodePort Services node ports from 30000-32767, refuses taken or outside ones, drops them for ClusterIP', async () => {
      const ns = ctx.namespace();
      const name = ctx.name('np');
      const created = await ctx.http().post(services(ns), service(name, { type: 'NodePort' }));
      expect(created.status).toBe(201);
      const port = created.body.spec.ports[0].nodePort;
      expect(port).toBeGreaterThanOrEqual(30000);
      expect(port).toBeLessThanOrEqual(32767);
      const other = ctx.name('np');
      const taken = await ctx
        .http()
        .post(services(ns), service(other, { type: 'NodePort', ports: [{ port: 80, nodePort: port }] }));
      expect(taken.body).toEqual(
        invalid(
          other,
          'spec.ports[0].nodePort',
          `Invalid value: ${port}: provided port is already allocated`,
        ),
      );
      const low = await ctx
        .http()
        .post(services(ns), service(other, { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }));
      expect(low.body).toEqual(
        invalid(
          other,
          'spec.ports[0].nodePort',
          'Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
        ),
      );
      const back = await ctx
        .http()
        .patch(`${services(ns)}/${name}`, 'application/merge-patch+json', { spec: { type: 'ClusterIP' } });
      expect(back.status).toBe(200);
      expect(back.body.spec.ports).toEqual([{ protocol: 'TCP', port: 80, targetPort: 80 }]);
      expect(back.body.spec.externalTrafficPolicy).toBeUndefined();
      expect(back.body.spec.clusterIP).toBe(created.body.spec.clusterIP);
    });

    it('gives a LoadBalancer with the Local traffic policy a health check node port, and takes it back', async () => {
      const ns = ctx.namespace();
      const name = ctx.name('lb');
      const local = { type: 'LoadBalancer', externalTrafficPolicy: 'Local' };
      const created = await ctx.http().post(services(ns), service(name, local));
      expect(created.status).toBe(201);
      const health = created.body.spec.healthCheckNodePort;
      expect(health).toBeGreaterThanOrEqual(30000);
      expect(health).toBeLessThanOrEqual(32767);
      expect(health).not.toBe(created.body.spec.ports[0].nodePort);
      const other = ctx.name('lb');
      const taken = await ctx
        .http()
        .post(services(ns), service(other, { ...local, healthCheckNodePort: health }));
      const why = `failed to allocate requested HealthCheck NodePort ${health}: provided port is already allocated`;
      expect(taken.body).toEqual(
        failure(500, 'InternalError', `Internal error occurred: ${why}`, { causes: [{ message: why }] }),
      );
      const cluster = await ctx.http().patch(`${services(ns)}/${name}`, 'application/merge-patch+json', {
        spec: { externalTrafficPolicy: 'Cluster' },
      });
      expect(cluster.body.spec.healthCheckNodePort).toBeUndefined();
      const dry = await ctx.http().post(`${services(ns)}?dryRun=All`, service(other, local));
      expect([dry.body.spec.ports[0].nodePort, dry.body.spec.healthCheckNodePort]).toEqual([32769, 32770]);
    });

    it('drops the addresses of a Service that becomes an ExternalName', async () => {
      const name = ctx.name('ext');
      await ctx.http().post(services(ctx.namespace()), service(name));
      const external = await ctx
        .http()
        .patch(`${services(ctx.namespace())}/${name}`, 'application/merge-patch+json', {
          spec: { type: 'ExternalName', externalName: 'example.com' },
        });
      expect(external.status).toBe(200);
      expect(external.body.spec).toEqual({
        ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }],
        selector: { app: name },
        type: 'ExternalName',
        sessionAffinity: 'None',
        externalName: 'example.com',
      });
    });

    it('allocates nothing on a dry-run create: the network address, and node ports past the range', async () => {
      const dry = await ctx.http().post(
        `${services(ctx.namespace())}?dryRun=All`,
        service(ctx.name('dry'), {
          type: 'NodePort',
          ports: [
            { name: 'a', port: 80 },
            { name: 'b', port: 81 },
          ],
        }),
      );
      expect(dry.status).toBe(201);
      expect(dry.body.spec.clusterIPs).toEqual(['10.0.0.0']);
      expect(dry.body.spec.ports.map((p: { nodePort: number }) => p.nodePort)).toEqual([32769, 32770]);
    });
  });
}
