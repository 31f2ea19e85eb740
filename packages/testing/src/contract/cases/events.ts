import { describe, expect, it } from 'vitest';
import { type ContractContext, failure, stableMetadata } from './context.js';

const MERGE = 'application/merge-patch+json';
const events = (ns: string) => `/apis/events.k8s.io/v1/namespaces/${ns}/events`;

/** An Event as a controller's recorder writes it: MicroTimes with six fractional digits. */
function event(name: string, namespace: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name },
    eventTime: '2026-12-04T20:51:10.123456Z',
    reportingController: 'example.com/router',
    reportingInstance: 'router-replica-a',
    action: 'Reconcile',
    reason: 'Synced',
    type: 'Normal',
    note: 'routing table updated',
    regarding: { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'routes', uid: 'a1b2c3' },
    ...extra,
  };
}

/** The fields a recorder writes, as read back (the apiserver adds its `deprecated*` defaults). */
function written(body: Record<string, unknown>) {
  const {
    apiVersion,
    kind,
    eventTime,
    series,
    reportingController,
    reportingInstance,
    action,
    reason,
    type,
    note,
    regarding,
    related,
  } = body;
  return {
    apiVersion,
    kind,
    eventTime,
    series,
    reportingController,
    reportingInstance,
    action,
    reason,
    type,
    note,
    regarding,
    related,
  };
}

/**
 * What an Event recorder relies on in `events.k8s.io/v1`: discovery, a create that reads back as
 * written (MicroTimes to the microsecond), a series added by a merge patch, lists and 404s.
 */
export function eventsContract(ctx: ContractContext) {
  describe('events.k8s.io/v1 Events, as a recorder writes them', () => {
    it('lists events in events.k8s.io/v1 discovery, namespaced, with every verb', async () => {
      const res = await ctx.http().get('/apis/events.k8s.io/v1');
      expect(res.status).toBe(200);
      const resource = res.body.resources.find((r: { name: string }) => r.name === 'events');
      expect(resource).toMatchObject({
        name: 'events',
        singularName: 'event',
        namespaced: true,
        kind: 'Event',
        shortNames: ['ev'],
      });
      expect([...resource.verbs].sort()).toEqual([
        'create',
        'delete',
        'deletecollection',
        'get',
        'list',
        'patch',
        'update',
        'watch',
      ]);
    });

    it('reads an Event back as written, eventTime to the microsecond', async () => {
      const name = ctx.name('ev');
      const body = event(name, ctx.namespace());
      const created = await ctx.http().post(events(ctx.namespace()), body);
      expect(created.status).toBe(201);
      expect(stableMetadata(created.body.metadata)).toEqual({ name, namespace: ctx.namespace() });
      expect(written(created.body)).toEqual(written(body));
      const read = await ctx.http().get(`${events(ctx.namespace())}/${name}`);
      expect(read.status).toBe(200);
      expect(written(read.body)).toEqual(written(body));
    });

    it('adds a series with a merge patch, keeping the rest, and lists the Event in its namespace', async () => {
      const name = ctx.name('ev');
      const body = event(name, ctx.namespace());
      const created = await ctx.http().post(events(ctx.namespace()), body);
      const series = { count: 2, lastObservedTime: '2026-12-04T20:52:00.000001Z' };
      const patched = await ctx.http().patch(`${events(ctx.namespace())}/${name}`, MERGE, { series });
      expect(patched.status).toBe(200);
      expect(written(patched.body)).toEqual(written({ ...body, series }));
      expect(Number(patched.body.metadata.resourceVersion)).toBeGreaterThan(
        Number(created.body.metadata.resourceVersion),
      );
      const again = await ctx
        .http()
        .patch(`${events(ctx.namespace())}/${name}`, MERGE, { series: { ...series, count: 7 } });
      expect(again.body.series).toEqual({ ...series, count: 7 });
      const list = await ctx.http().get(events(ctx.namespace()));
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ kind: 'EventList', apiVersion: 'events.k8s.io/v1' });
      const listed = list.body.items.find((i: { metadata: { name: string } }) => i.metadata.name === name);
      expect(written({ apiVersion: 'events.k8s.io/v1', kind: 'Event', ...listed })).toEqual(
        written({ ...body, series: { ...series, count: 7 } }),
      );
    });

    it('answers 404 NotFound for a missing Event, naming its group', async () => {
      const missing = await ctx.http().get(`${events(ctx.namespace())}/nope`);
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual(
        failure(404, 'NotFound', 'events.events.k8s.io "nope" not found', {
          name: 'nope',
          group: 'events.k8s.io',
          kind: 'events',
        }),
      );
    });
  });
}
