import { describe, expect, it } from 'vitest';
import {
  type ContractContext,
  configMaps,
  deployment,
  deployments,
  failure,
  RFC3339_SECONDS,
  UID,
} from './context.js';

export function crudContract(ctx: ContractContext) {
  describe('create, read, update, delete', () => {
    it('creates an object with uid, resourceVersion and creationTimestamp, and reads it back', async () => {
      const name = ctx.name('cm');
      const created = await ctx
        .http()
        .post(configMaps(ctx.namespace()), { metadata: { name, labels: { a: 'b' } }, data: { k: 'v' } });
      expect(created.status).toBe(201);
      const meta = created.body.metadata;
      expect(created.body).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', data: { k: 'v' } });
      expect(meta).toMatchObject({ name, namespace: ctx.namespace(), labels: { a: 'b' } });
      expect(meta.uid).toMatch(UID);
      expect(meta.resourceVersion).toMatch(/^\d+$/);
      expect(meta.creationTimestamp).toMatch(RFC3339_SECONDS);
      expect(meta.generation).toBeUndefined();
      const read = await ctx.http().get(`${configMaps(ctx.namespace())}/${name}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);
    });

    it('answers 409 AlreadyExists to a second create of the same name', async () => {
      const name = ctx.name('cm');
      await ctx.http().post(configMaps(ctx.namespace()), { metadata: { name } });
      const again = await ctx.http().post(configMaps(ctx.namespace()), { metadata: { name } });
      expect(again.status).toBe(409);
      expect(again.body).toEqual(
        failure(409, 'AlreadyExists', `configmaps "${name}" already exists`, { name, kind: 'configmaps' }),
      );
    });

    it('answers 404 NotFound for a missing object, naming the group of a non-core resource', async () => {
      const missing = await ctx.http().get(`${configMaps(ctx.namespace())}/nope`);
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual(
        failure(404, 'NotFound', 'configmaps "nope" not found', { name: 'nope', kind: 'configmaps' }),
      );
      const deploy = await ctx.http().get(`${deployments(ctx.namespace())}/nope`);
      expect(deploy.body).toEqual(
        failure(404, 'NotFound', 'deployments.apps "nope" not found', {
          name: 'nope',
          group: 'apps',
          kind: 'deployments',
        }),
      );
      const put = await ctx.http().put(`${configMaps(ctx.namespace())}/nope`, { metadata: { name: 'nope' } });
      expect(put.status).toBe(404);
    });

    it('answers 404 for the namespace when creating into one that does not exist', async () => {
      const res = await ctx.http().post(configMaps('no-such-namespace'), { metadata: { name: 'x' } });
      expect(res.status).toBe(404);
      expect(res.body).toEqual(
        failure(404, 'NotFound', 'namespaces "no-such-namespace" not found', {
          name: 'no-such-namespace',
          kind: 'namespaces',
        }),
      );
    });

    it('answers 409 Conflict to an update with a stale resourceVersion', async () => {
      const name = ctx.name('cm');
      const created = await ctx
        .http()
        .post(configMaps(ctx.namespace()), { metadata: { name }, data: { v: '1' } });
      const ok = await ctx
        .http()
        .put(`${configMaps(ctx.namespace())}/${name}`, { ...created.body, data: { v: '2' } });
      expect(ok.status).toBe(200);
      expect(Number(ok.body.metadata.resourceVersion)).toBeGreaterThan(
        Number(created.body.metadata.resourceVersion),
      );
      const stale = await ctx
        .http()
        .put(`${configMaps(ctx.namespace())}/${name}`, { ...created.body, data: { v: '3' } });
      expect(stale.status).toBe(409);
      expect(stale.body).toEqual(
        failure(
          409,
          'Conflict',
          `Operation cannot be fulfilled on configmaps "${name}": the object ` +
            'has been modified; please apply your changes to the latest version and try again',
          { name, kind: 'configmaps' },
        ),
      );
    });

    it('updates without a resourceVersion unconditionally, and writes nothing for an unchanged object', async () => {
      const name = ctx.name('cm');
      const created = await ctx
        .http()
        .post(configMaps(ctx.namespace()), { metadata: { name }, data: { v: '1' } });
      const blind = await ctx
        .http()
        .put(`${configMaps(ctx.namespace())}/${name}`, { metadata: { name }, data: { v: '2' } });
      expect(blind.status).toBe(200);
      expect(blind.body.data).toEqual({ v: '2' });
      expect(blind.body.metadata.uid).toBe(created.body.metadata.uid);
      const same = await ctx.http().put(`${configMaps(ctx.namespace())}/${name}`, blind.body);
      expect(same.status).toBe(200);
      expect(same.body.metadata.resourceVersion).toBe(blind.body.metadata.resourceVersion);
    });

    it('answers 400 when the name in the body differs from the URL', async () => {
      const name = ctx.name('cm');
      await ctx.http().post(configMaps(ctx.namespace()), { metadata: { name } });
      const res = await ctx
        .http()
        .put(`${configMaps(ctx.namespace())}/${name}`, { metadata: { name: 'other' } });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        reason: 'BadRequest',
        message: `the name of the object (other) does not match the name on the URL (${name})`,
      });
    });

    it('answers 422 Invalid with field causes for a bad name, and for no name at all', async () => {
      const bad = await ctx.http().post(configMaps(ctx.namespace()), { metadata: { name: 'Bad_Name' } });
      expect(bad.status).toBe(422);
      const detail =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must " +
        "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is " +
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
      expect(bad.body).toEqual(
        failure(
          422,
          'Invalid',
          `ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${detail}`,
          {
            name: 'Bad_Name',
            kind: 'ConfigMap',
            causes: [
              {
                reason: 'FieldValueInvalid',
                message: `Invalid value: "Bad_Name": ${detail}`,
                field: 'metadata.name',
              },
            ],
          },
        ),
      );
      const none = await ctx.http().post(configMaps(ctx.namespace()), { metadata: {} });
      expect(none.status).toBe(422);
      expect(none.body).toEqual(
        failure(
          422,
          'Invalid',
          'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required',
          {
            kind: 'ConfigMap',
            causes: [
              {
                reason: 'FieldValueRequired',
                message: 'Required value: name or generateName is required',
                field: 'metadata.name',
              },
            ],
          },
        ),
      );
    });

    it('answers 422 for an invalid label value and an invalid ConfigMap key, naming the fields', async () => {
      const res = await ctx.http().post(configMaps(ctx.namespace()), {
        metadata: { name: ctx.name('cm'), labels: { a: '-x' } },
        data: { 'a/b': 'x' },
      });
      expect(res.status).toBe(422);
      expect(res.body.details.causes).toEqual([
        expect.objectContaining({ reason: 'FieldValueInvalid', field: 'metadata.labels' }),
        {
          reason: 'FieldValueInvalid',
          field: 'data[a/b]',
          message:
            'Invalid value: "a/b": a valid config key must consist of ' +
            "alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for " +
            "validation is '[-._a-zA-Z0-9]+')",
        },
      ]);
    });

    it('completes generateName with five random characters', async () => {
      const res = await ctx.http().post(configMaps(ctx.namespace()), { metadata: { generateName: 'gen-' } });
      expect(res.status).toBe(201);
      expect(res.body.metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(res.body.metadata.generateName).toBe('gen-');
    });

    it('deletes an object, answering a Success Status with its uid', async () => {
      const name = ctx.name('cm');
      const created = await ctx.http().post(configMaps(ctx.namespace()), { metadata: { name } });
      const res = await ctx.http().delete(`${configMaps(ctx.namespace())}/${name}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: { name, kind: 'configmaps', uid: created.body.metadata.uid },
      });
      expect((await ctx.http().get(`${configMaps(ctx.namespace())}/${name}`)).status).toBe(404);
      expect((await ctx.http().delete(`${configMaps(ctx.namespace())}/${name}`)).status).toBe(404);
    });

    it('answers 409 to a delete whose uid or resourceVersion precondition does not hold', async () => {
      const name = ctx.name('cm');
      const created = await ctx.http().post(configMaps(ctx.namespace()), { metadata: { name } });
      const { uid, resourceVersion } = created.body.metadata;
      const byUid = await ctx
        .http()
        .delete(`${configMaps(ctx.namespace())}/${name}`, { preconditions: { uid: 'abc' } });
      expect(byUid.status).toBe(409);
      expect(byUid.body).toEqual(
        failure(
          409,
          'Conflict',
          `Operation cannot be fulfilled on ConfigMap "${name}": the UID in the ` +
            `precondition (abc) does not match the UID in record (${uid}). The object might have been deleted and then recreated`,
          { name, kind: 'ConfigMap' },
        ),
      );
      const byRv = await ctx
        .http()
        .delete(`${configMaps(ctx.namespace())}/${name}`, { preconditions: { resourceVersion: '1' } });
      expect(byRv.status).toBe(409);
      expect(byRv.body.message).toBe(
        `Operation cannot be fulfilled on ConfigMap "${name}": the ResourceVersion in the ` +
          `precondition (1) does not match the ResourceVersion in record (${resourceVersion}). The object might have been modified`,
      );
      const ok = await ctx
        .http()
        .delete(`${configMaps(ctx.namespace())}/${name}`, { preconditions: { uid, resourceVersion } });
      expect(ok.status).toBe(200);
    });

    it('keeps generation at 1 on create and bumps it on spec changes only', async () => {
      const name = ctx.name('deploy');
      const created = await ctx
        .http()
        .post(deployments(ctx.namespace()), deployment(name, { status: { replicas: 5 } }));
      expect(created.status).toBe(201);
      expect(created.body.metadata.generation).toBe(1);
      expect(created.body.status).toEqual({});
      const relabeled = await ctx
        .http()
        .patch(`${deployments(ctx.namespace())}/${name}`, 'application/merge-patch+json', {
          metadata: { labels: { extra: 'yes' } },
        });
      expect(relabeled.body.metadata.generation).toBe(1);
      const scaled = await ctx
        .http()
        .patch(`${deployments(ctx.namespace())}/${name}`, 'application/merge-patch+json', {
          spec: { replicas: 3 },
        });
      expect(scaled.body.metadata.generation).toBe(2);
      expect(scaled.body.spec.replicas).toBe(3);
    });

    it('answers 422 when a Deployment selector does not match its template', async () => {
      const d = deployment(ctx.name('deploy'));
      d.spec.template.metadata.labels = { app: 'other' };
      const res = await ctx.http().post(deployments(ctx.namespace()), d);
      expect(res.status).toBe(422);
      expect(res.body.details.causes).toContainEqual(
        expect.objectContaining({ field: 'spec.template.metadata.labels', reason: 'FieldValueInvalid' }),
      );
    });
  });
}
