import type { KubernetesObject } from '@kates/core/browser';
import { describe, expect, it } from 'vitest';
import { memoRoutingView, routingView } from './routes.js';

const mapping = (namespace: string, name: string, prefix: string, service: string): KubernetesObject => ({
  kind: 'Mapping',
  metadata: { namespace, name, uid: `${namespace}/${name}` },
  spec: { prefix, service },
});

const table = (namespace: string, routes: unknown, version = '7'): KubernetesObject => ({
  kind: 'ConfigMap',
  metadata: { namespace, name: 'routing-table', resourceVersion: version },
  data: { 'routes.json': typeof routes === 'string' ? routes : JSON.stringify(routes) },
});

describe('the routing view', () => {
  it('joins each route of a routing table to the Mapping it comes from', () => {
    const view = routingView(
      [mapping('shop', 'root', '/', 'web')],
      [
        table('shop', [
          { prefix: '/', service: 'web', port: 80, readyEndpoints: 2 },
          {
            prefix: '/old/',
            service: 'gone',
            port: null,
            readyEndpoints: 0,
            problem: 'service gone not found',
          },
        ]),
        { kind: 'ConfigMap', metadata: { namespace: 'shop', name: 'other' }, data: {} },
      ],
    );
    expect(view).toEqual([
      {
        namespace: 'shop',
        version: '7',
        pending: [],
        rows: [
          { prefix: '/', service: 'web', port: 80, readyEndpoints: 2, mapping: 'root' },
          {
            prefix: '/old/',
            service: 'gone',
            port: null,
            readyEndpoints: 0,
            problem: 'service gone not found',
          },
        ],
      },
    ]);
  });

  it('lists Mappings the controller has not routed yet, in namespaces with or without a table', () => {
    const view = routingView(
      [mapping('shop', 'new', '/new/', 'web'), mapping('monitoring', 'grafana', '/grafana/', 'grafana')],
      [table('shop', [])],
    );
    expect(view.map((v) => [v.namespace, v.version, v.pending])).toEqual([
      ['monitoring', undefined, ['grafana']],
      ['shop', '7', ['new']],
    ]);
  });

  it('shows a table whose routes are not JSON as empty rather than failing', () => {
    expect(routingView([], [table('shop', 'not json')])[0]?.rows).toEqual([]);
  });

  it('computes once per pair of arrays', () => {
    const view = memoRoutingView();
    const m = [mapping('shop', 'root', '/', 'web')];
    const c = [table('shop', [])];
    expect(view(m, c)).toBe(view(m, c));
    expect(view(m, [...c])).not.toBe(view(m, c));
  });
});
