import { describe, expect, it } from 'vitest';
import { attributesOf } from './request-attributes.js';

describe('the attributes of a request', () => {
  it('are read from its path and method as the API server reads them', () => {
    const q = new URLSearchParams();
    expect(attributesOf('GET', '/api/v1/namespaces/shop/pods', q)).toEqual({
      verb: 'list',
      group: '',
      version: 'v1',
      resource: 'pods',
      namespace: 'shop',
    });
    expect(
      attributesOf(
        'GET',
        '/apis/apps/v1/deployments',
        new URLSearchParams('watch=true&labelSelector=b=2,a=1'),
      ),
    ).toEqual({
      verb: 'watch',
      group: 'apps',
      version: 'v1',
      resource: 'deployments',
      labelSelector: 'a=1,b=2',
    });
    expect(attributesOf('GET', '/api/v1/watch/namespaces/shop/pods', q)).toMatchObject({
      verb: 'watch',
      namespace: 'shop',
    });
    expect(attributesOf('GET', '/api/v1/namespaces/shop/pods/web-1/log', q)).toEqual({
      verb: 'get',
      group: '',
      version: 'v1',
      resource: 'pods',
      namespace: 'shop',
      name: 'web-1',
      subresource: 'log',
    });
    expect(attributesOf('GET', '/api/v1/namespaces/shop', q)).toEqual({
      verb: 'get',
      group: '',
      version: 'v1',
      resource: 'namespaces',
      namespace: 'shop',
      name: 'shop',
    });
    expect(attributesOf('DELETE', '/api/v1/namespaces/shop/configmaps', q)).toMatchObject({
      verb: 'deletecollection',
    });
    expect(attributesOf('PATCH', '/api/v1/nodes/n1', q)).toMatchObject({
      verb: 'patch',
      resource: 'nodes',
      name: 'n1',
    });
    expect(attributesOf('GET', '/apis/apps/v1', q)).toEqual({ path: '/apis/apps/v1', verb: 'get' });
    expect(attributesOf('GET', '/version', q)).toEqual({ path: '/version', verb: 'get' });
  });
});
