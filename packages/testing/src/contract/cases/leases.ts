import { describe, expect, it } from 'vitest';
import { type ContractContext, configMaps, failure, stableMetadata } from './context.js';

const leases = (ns: string) => `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`;

/** A Lease as an elector writes it: MicroTimes with exactly six fractional digits. */
function lease(name: string, spec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name },
    spec: {
      holderIdentity: 'replica-a',
      leaseDurationSeconds: 15,
      acquireTime: '2026-12-04T20:51:10.123456Z',
      renewTime: '2026-12-04T20:51:12.000001Z',
      leaseTransitions: 3,
      ...spec,
    },
  };
}

/**
 * What leader election relies on in `coordination.k8s.io/v1` Leases: a create that only one
 * candidate wins, a resourceVersion guard on updates, 404 for a missing Lease, and a record that
 * reads back as written (holder, duration, transitions, MicroTimes).
 */
export function leaseContract(ctx: ContractContext) {
  describe('Leases, as leader election uses them', () => {
    it('reads back holderIdentity, leaseDurationSeconds, leaseTransitions and MicroTime acquireTime/renewTime as written', async () => {
      const name = ctx.name('lease');
      const created = await ctx.http().post(leases(ctx.namespace()), lease(name));
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' });
      expect(stableMetadata(created.body.metadata)).toEqual({ name, namespace: ctx.namespace() });
      expect(created.body.spec).toEqual(lease(name).spec);
      const read = await ctx.http().get(`${leases(ctx.namespace())}/${name}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);
    });

    it('keeps an empty holderIdentity (a released Lease) as an empty string', async () => {
      const name = ctx.name('lease');
      const created = await ctx
        .http()
        .post(leases(ctx.namespace()), lease(name, { holderIdentity: '', leaseDurationSeconds: 1 }));
      expect(created.status).toBe(201);
      const read = await ctx.http().get(`${leases(ctx.namespace())}/${name}`);
      expect(read.body.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
    });

    it('answers 409 AlreadyExists to the second of two creates of one Lease', async () => {
      const name = ctx.name('lease');
      const [a, b] = await Promise.all([
        ctx.http().post(leases(ctx.namespace()), lease(name, { holderIdentity: 'a' })),
        ctx.http().post(leases(ctx.namespace()), lease(name, { holderIdentity: 'b' })),
      ]);
      expect([a.status, b.status].sort()).toEqual([201, 409]);
      const lost = a.status === 409 ? a : b;
      expect(lost.body).toEqual(
        failure(409, 'AlreadyExists', `leases.coordination.k8s.io "${name}" already exists`, {
          name,
          group: 'coordination.k8s.io',
          kind: 'leases',
        }),
      );
    });

    it('answers 404 NotFound for a missing Lease, naming its group', async () => {
      const missing = await ctx.http().get(`${leases(ctx.namespace())}/nope`);
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual(
        failure(404, 'NotFound', 'leases.coordination.k8s.io "nope" not found', {
          name: 'nope',
          group: 'coordination.k8s.io',
          kind: 'leases',
        }),
      );
    });

    it('lets exactly one of two updates from one resourceVersion through; the other gets 409 Conflict', async () => {
      const name = ctx.name('lease');
      const created = await ctx.http().post(leases(ctx.namespace()), lease(name, { holderIdentity: 'old' }));
      const takeover = (holderIdentity: string) =>
        ctx.http().put(`${leases(ctx.namespace())}/${name}`, {
          ...created.body,
          spec: { ...created.body.spec, holderIdentity, leaseTransitions: 4 },
        });
      const [b, c] = await Promise.all([takeover('b'), takeover('c')]);
      expect([b.status, c.status].sort()).toEqual([200, 409]);
      const [won, lost] = b.status === 200 ? [b, c] : [c, b];
      expect(lost.body).toEqual(
        failure(
          409,
          'Conflict',
          `Operation cannot be fulfilled on leases.coordination.k8s.io "${name}": the object has been ` +
            'modified; please apply your changes to the latest version and try again',
          { name, group: 'coordination.k8s.io', kind: 'leases' },
        ),
      );
      expect(Number(won.body.metadata.resourceVersion)).toBeGreaterThan(
        Number(created.body.metadata.resourceVersion),
      );
      const read = await ctx.http().get(`${leases(ctx.namespace())}/${name}`);
      expect(read.body.spec.holderIdentity).toBe(won.body.spec.holderIdentity);
      expect(read.body.spec.leaseTransitions).toBe(4);
    });

    it('moves resourceVersion on a renewal that changes only renewTime', async () => {
      const name = ctx.name('lease');
      const created = await ctx.http().post(leases(ctx.namespace()), lease(name));
      const renewed = await ctx.http().put(`${leases(ctx.namespace())}/${name}`, {
        ...created.body,
        spec: { ...created.body.spec, renewTime: '2026-12-04T20:51:14.000002Z' },
      });
      expect(renewed.status).toBe(200);
      expect(renewed.body.spec.renewTime).toBe('2026-12-04T20:51:14.000002Z');
      expect(Number(renewed.body.metadata.resourceVersion)).toBeGreaterThan(
        Number(created.body.metadata.resourceVersion),
      );
    });

    it.each([
      ['milliseconds (Date.toISOString)', '2026-12-04T20:51:10.123Z', '.123Z', '.000000'],
      ['no fraction', '2026-12-04T20:51:10Z', 'Z', '.000000'],
      ['nanoseconds', '2026-12-04T20:51:10.123456789Z', '789Z', 'Z07:00'],
    ])(
      'answers 400 BadRequest to a MicroTime renewTime with %s, storing nothing',
      async (_what, renewTime, rest, element) => {
        const name = ctx.name('lease');
        const res = await ctx.http().post(leases(ctx.namespace()), lease(name, { renewTime }));
        expect(res.status).toBe(400);
        expect(res.body).toEqual(
          failure(
            400,
            'BadRequest',
            `Lease in version "v1" cannot be handled as a Lease: parsing time "${renewTime}" as ` +
              `"2006-01-02T15:04:05.000000Z07:00": cannot parse "${rest}" as "${element}"`,
          ),
        );
        const absent = await ctx.http().get(`${leases(ctx.namespace())}/${name}`);
        expect(absent.status).toBe(404);
      },
    );

    it('stores a MicroTime given with an offset in UTC', async () => {
      const name = ctx.name('lease');
      const res = await ctx
        .http()
        .post(leases(ctx.namespace()), lease(name, { renewTime: '2026-12-04T20:51:10.123456+01:00' }));
      expect(res.status).toBe(201);
      expect(res.body.spec.renewTime).toBe('2026-12-04T19:51:10.123456Z');
    });

    it.each([
      ['leaseDurationSeconds', 0, 'must be greater than 0'],
      ['leaseTransitions', -1, 'must be greater than or equal to 0'],
    ])('answers 422 Invalid to %s %d', async (fieldName, value, detail) => {
      const name = ctx.name('lease');
      const res = await ctx.http().post(leases(ctx.namespace()), lease(name, { [fieldName]: value }));
      expect(res.status).toBe(422);
      expect(res.body).toEqual(
        failure(
          422,
          'Invalid',
          `Lease.coordination.k8s.io "${name}" is invalid: spec.${fieldName}: Invalid value: ${value}: ${detail}`,
          {
            name,
            group: 'coordination.k8s.io',
            kind: 'Lease',
            causes: [
              {
                reason: 'FieldValueInvalid',
                message: `Invalid value: ${value}: ${detail}`,
                field: `spec.${fieldName}`,
              },
            ],
          },
        ),
      );
    });
  });

  describe('label moves, as sharding uses them', () => {
    it('applies a merge patch of labels that carries the current resourceVersion, and answers 409 Conflict to a stale one', async () => {
      const name = ctx.name('cm');
      const path = `${configMaps(ctx.namespace())}/${name}`;
      const created = await ctx
        .http()
        .post(configMaps(ctx.namespace()), { metadata: { name, labels: { 'shard.kates.dev/ring': 'a' } } });
      const rv = created.body.metadata.resourceVersion;
      const merge = 'application/merge-patch+json';
      const drain = await ctx.http().patch(path, merge, {
        metadata: { resourceVersion: rv, labels: { 'drain.kates.dev/ring': 'true' } },
      });
      expect(drain.status).toBe(200);
      expect(drain.body.metadata.labels).toEqual({
        'shard.kates.dev/ring': 'a',
        'drain.kates.dev/ring': 'true',
      });
      const stale = await ctx
        .http()
        .patch(path, merge, { metadata: { resourceVersion: rv, labels: { 'shard.kates.dev/ring': 'b' } } });
      expect(stale.status).toBe(409);
      expect(stale.body).toEqual(
        failure(
          409,
          'Conflict',
          `Operation cannot be fulfilled on configmaps "${name}": the object has been modified; please apply ` +
            'your changes to the latest version and try again',
          { name, kind: 'configmaps' },
        ),
      );
      const release = await ctx.http().patch(path, merge, {
        metadata: {
          resourceVersion: drain.body.metadata.resourceVersion,
          labels: { 'shard.kates.dev/ring': null, 'drain.kates.dev/ring': null },
        },
      });
      expect(release.status).toBe(200);
      expect(release.body.metadata.labels).toBeUndefined();
    });
  });
}
