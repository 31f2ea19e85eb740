import { describe, expect, it } from 'vitest';
import { type ContractContext, configMaps } from './context.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

interface Entry {
  manager: string;
  operation: string;
  fieldsV1?: unknown;
}

const owners = (body: { metadata: { managedFields?: Entry[] } }) =>
  (body.metadata.managedFields ?? []).map(({ manager, operation, fieldsV1 }) => ({
    manager,
    operation,
    fieldsV1,
  }));

export function managedFieldsResetContract(ctx: ContractContext) {
  describe('managedFields set by a client', () => {
    it('replace the stored ones, as kubectl rewrites them when it moves from client-side to server-side apply', async () => {
      const name = ctx.name('cm');
      const path = `${configMaps(ctx.namespace())}/${name}`;
      const created = await ctx
        .http()
        .post(`${configMaps(ctx.namespace())}?fieldManager=before`, { metadata: { name }, data: { a: '1' } });
      // Update entries' fields are an allowed difference (ALLOWED_DIFFERENCES.managedFieldsOfUpdates).
      const entry = created.body.metadata.managedFields[0];
      expect(owners(created.body)).toEqual([
        { manager: 'before', operation: 'Update', fieldsV1: entry.fieldsV1 },
      ]);
      const rewritten = await ctx.http().patch(path, 'application/json-patch+json', [
        { op: 'test', path: '/metadata/resourceVersion', value: created.body.metadata.resourceVersion },
        {
          op: 'replace',
          path: '/metadata/managedFields',
          value: [{ ...entry, manager: 'after', operation: 'Apply' }],
        },
      ]);
      expect(rewritten.status).toBe(200);
      expect(owners(rewritten.body)).toEqual([
        { manager: 'after', operation: 'Apply', fieldsV1: entry.fieldsV1 },
      ]);
      const cleared = await ctx
        .http()
        .patch(path, 'application/merge-patch+json', { metadata: { managedFields: [{}] } });
      expect(cleared.status).toBe(200);
      expect(cleared.body.metadata.managedFields).toBeUndefined();
    });

    describe('server-side apply by kubectl', () => {
      it("rewrites client-side apply's annotation to the applied configuration; other managers leave it", async () => {
        const name = ctx.name('cm');
        const path = `${configMaps(ctx.namespace())}/${name}`;
        await ctx.http().post(configMaps(ctx.namespace()), {
          metadata: { name, annotations: { [LAST_APPLIED]: '{"old":true}' } },
          data: { a: '1' },
        });
        const config = {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, annotations: { note: '<&>' } },
          data: { a: '2' },
        };
        const apply = (manager: string) =>
          ctx
            .http()
            .patch(`${path}?fieldManager=${manager}&force=true`, 'application/apply-patch+yaml', config);
        const other = await apply('ops');
        expect(other.body.metadata.annotations[LAST_APPLIED]).toBe('{"old":true}');
        const kubectl = await apply('kubectl');
        expect(kubectl.status).toBe(200);
        expect(kubectl.body.metadata.annotations).toEqual({
          note: '<&>',
          [LAST_APPLIED]: `{"apiVersion":"v1","data":{"a":"2"},"kind":"ConfigMap","metadata":{"annotations":{"note":"\\u003c\\u0026\\u003e"},"name":"${name}"}}\n`,
        });
      });
    });
  });
}
