import { describe, expect, it } from 'vitest';
import { type ContractContext, failure } from './context.js';

/** The 403 of the test cluster's user without RBAC rights, as kube-apiserver's RBAC authorizer words it. */
function forbidden(
  subject: string,
  verb: string,
  resource: string,
  group: string,
  where: string,
  details: Record<string, unknown>,
) {
  return failure(
    403,
    'Forbidden',
    `${subject} is forbidden: User "kates-nobody" cannot ${verb} resource "${resource}" in API group "${group}" ${where}`,
    details,
  );
}

export function authorizationContract(ctx: ContractContext) {
  describe('authorization of a user without RBAC rights', () => {
    it('reads discovery, version and health', async () => {
      for (const path of ['/api', '/apis', '/api/v1', '/apis/apps/v1', '/version', '/healthz']) {
        expect((await ctx.target().nobody.get(path)).status, path).toBe(200);
      }
    });

    it('answers 403 Forbidden to every resource request, naming the verb, resource, group and scope', async () => {
      const nobody = ctx.target().nobody;
      expect((await nobody.get('/api/v1/namespaces/default/pods')).body).toEqual(
        forbidden('pods', 'list', 'pods', '', 'in the namespace "default"', { kind: 'pods' }),
      );
      expect((await nobody.get('/api/v1/namespaces/default/configmaps/x')).body).toEqual(
        forbidden('configmaps "x"', 'get', 'configmaps', '', 'in the namespace "default"', {
          name: 'x',
          kind: 'configmaps',
        }),
      );
      expect((await nobody.get('/api/v1/namespaces')).body).toEqual(
        forbidden('namespaces', 'list', 'namespaces', '', 'at the cluster scope', { kind: 'namespaces' }),
      );
      expect((await nobody.get('/api/v1/namespaces/default')).body).toEqual(
        forbidden('namespaces "default"', 'get', 'namespaces', '', 'in the namespace "default"', {
          name: 'default',
          kind: 'namespaces',
        }),
      );
      expect((await nobody.get('/apis/apps/v1/namespaces/default/deployments/x/scale')).body).toEqual(
        forbidden('deployments.apps "x"', 'get', 'deployments/scale', 'apps', 'in the namespace "default"', {
          name: 'x',
          group: 'apps',
          kind: 'deployments',
        }),
      );
      expect((await nobody.get('/api/v1/namespaces/default/pods?watch=1')).body).toEqual(
        forbidden('pods', 'watch', 'pods', '', 'in the namespace "default"', { kind: 'pods' }),
      );
      expect(
        (await nobody.post('/api/v1/namespaces/default/configmaps', { metadata: { name: 'x' } })).body,
      ).toEqual(
        forbidden('configmaps', 'create', 'configmaps', '', 'in the namespace "default"', {
          kind: 'configmaps',
        }),
      );
      expect((await nobody.delete('/api/v1/namespaces/default/configmaps')).body).toEqual(
        forbidden('configmaps', 'deletecollection', 'configmaps', '', 'in the namespace "default"', {
          kind: 'configmaps',
        }),
      );
    });

    it('answers 403 before looking for the resource, and for paths outside the API', async () => {
      const nobody = ctx.target().nobody;
      expect((await nobody.get('/apis/no.such/v1/things')).body).toEqual(
        forbidden('things.no.such', 'list', 'things', 'no.such', 'at the cluster scope', {
          group: 'no.such',
          kind: 'things',
        }),
      );
      expect((await nobody.get('/foo/bar')).body).toEqual(
        failure(403, 'Forbidden', 'forbidden: User "kates-nobody" cannot get path "/foo/bar"', {}),
      );
    });
  });
}
