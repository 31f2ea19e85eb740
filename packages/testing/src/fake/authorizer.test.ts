import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ADMIN, authorize, NOBODY, requestInfo } from './authorizer.js';
import { type FakeApiServer, startFakeApiServer } from './server.js';

const url = (path: string) => new URL(path, 'http://fake');

describe('requestInfo, as the apiserver parses a request path', () => {
  it('tells resource requests from discovery and names verb, resource, subresource, namespace and name', () => {
    expect(requestInfo('GET', '/api/v1', new URLSearchParams())).toBeUndefined();
    expect(requestInfo('GET', '/apis/apps/v1', new URLSearchParams())).toBeUndefined();
    expect(
      requestInfo('GET', '/apis/apps/v1/namespaces/ns/deployments/web/scale', new URLSearchParams()),
    ).toEqual({
      verb: 'get',
      group: 'apps',
      resource: 'deployments',
      subresource: 'scale',
      namespace: 'ns',
      name: 'web',
    });
    expect(requestInfo('GET', '/api/v1/pods', new URLSearchParams('watch=true'))).toEqual({
      verb: 'watch',
      group: '',
      resource: 'pods',
    });
    expect(requestInfo('DELETE', '/api/v1/namespaces/ns/configmaps', new URLSearchParams())?.verb).toBe(
      'deletecollection',
    );
    // A namespace itself is checked within its own namespace.
    expect(requestInfo('PUT', '/api/v1/namespaces/ns', new URLSearchParams())).toEqual({
      verb: 'update',
      group: '',
      resource: 'namespaces',
      namespace: 'ns',
      name: 'ns',
    });
  });
});

describe('authorize', () => {
  it('lets the admin do everything and the user without rights read discovery only', () => {
    expect(() => authorize(ADMIN, 'DELETE', url('/api/v1/namespaces/default'))).not.toThrow();
    expect(() => authorize(NOBODY, 'GET', url('/apis'))).not.toThrow();
    expect(() => authorize(NOBODY, 'GET', url('/readyz'))).not.toThrow();
    expect(() => authorize(NOBODY, 'POST', url('/apis'))).toThrow(
      'forbidden: User "kates-nobody" cannot post path "/apis"',
    );
    expect(() => authorize(NOBODY, 'PATCH', url('/apis/example.com/v1/widgets/w'))).toThrow(
      'widgets.example.com "w" is forbidden: User "kates-nobody" cannot patch resource "widgets" in API group ' +
        '"example.com" at the cluster scope',
    );
  });
});

describe('the fake API server kubeconfig', () => {
  let server: FakeApiServer;
  beforeAll(async () => {
    server = await startFakeApiServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it("has the test cluster's contexts, admin current, and a nobody kubeconfig of its own", async () => {
    const config = parseYaml(readFileSync(server.kubeconfigPath, 'utf8'));
    expect(config['current-context']).toBe('admin');
    expect(config.contexts.map((c: { name: string }) => c.name)).toEqual(['admin', 'nobody']);
    const nobody = parseYaml(readFileSync(server.nobodyKubeconfigPath, 'utf8'));
    const token = nobody.users[0].user.token;
    expect(token).not.toBe(server.token);
    const pods = await fetch(`${server.url}/api/v1/namespaces/default/pods`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(pods.status).toBe(403);
    const discovery = await fetch(`${server.url}/api/v1`, { headers: { authorization: `Bearer ${token}` } });
    expect(discovery.status).toBe(200);
  });
});
