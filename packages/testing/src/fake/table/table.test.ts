import type { KubernetesObject } from '@kates/core';
import { describe, expect, it } from 'vitest';
import { ResourceRegistry } from '../registry.js';
import { formatLabelSelector } from './cells.js';
import { humanDuration } from './duration.js';
import { findFirst } from './jsonpath.js';
import { printerOf, type TableConversion, tableOfObject, tableRow } from './table.js';

const registry = new ResourceRegistry();
const NOW = Date.parse('2026-12-04T12:00:00Z');
const created = (secondsAgo: number) =>
  new Date(NOW - secondsAgo * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

function cells(group: string, version: string, resource: string, obj: KubernetesObject): unknown[] {
  const r = registry.lookup(group, version, resource);
  if (!r) throw new Error(`${resource} is not served`);
  return printerOf(r).cells(obj, NOW);
}

describe('humanDuration', () => {
  it('says ages as kubectl does', () => {
    const cases: [number, string][] = [
      [-5, '<invalid>'],
      [-1, '0s'],
      [0, '0s'],
      [119, '119s'],
      [125, '2m5s'],
      [600, '10m'],
      [3 * 3600 + 20 * 60, '3h20m'],
      [30 * 3600, '30h'],
      [5 * 86400 + 3 * 3600, '5d3h'],
      [400 * 86400, '400d'],
      [(2 * 365 + 30) * 86400, '2y30d'],
      [9 * 365 * 86400, '9y'],
    ];
    for (const [seconds, text] of cases) expect(humanDuration(seconds * 1000), String(seconds)).toBe(text);
  });
});

describe('findFirst', () => {
  const obj = {
    metadata: { labels: { 'app.kubernetes.io/name': 'web' } },
    status: {
      conditions: [
        { type: 'Synced', status: 'False' },
        { type: 'Ready', status: 'True' },
      ],
    },
    spec: { ports: [{ port: 80 }, { port: 443 }] },
  };
  it('follows fields, indexes, filters and escaped dots', () => {
    expect(findFirst(obj, '.spec.ports[1].port')).toBe(443);
    expect(findFirst(obj, '.status.conditions[?(@.type=="Ready")].status')).toBe('True');
    expect(findFirst(obj, '.metadata.labels.app\\.kubernetes\\.io/name')).toBe('web');
    expect(findFirst(obj, '.spec.ports[*].port')).toBe(80);
  });

  it('finds nothing where the path does not match or cannot be read', () => {
    expect(findFirst(obj, '.spec.missing.deeper')).toBeUndefined();
    expect(findFirst(obj, '.spec.ports[9]')).toBeUndefined();
    expect(findFirst(obj, '.spec..bad[')).toBeUndefined();
  });
});

describe('printers', () => {
  it('show a Service defaulted as the apiserver would have stored it', () => {
    const svc = {
      metadata: { name: 'web', creationTimestamp: created(5) },
      spec: {
        selector: { b: '2', a: '1' },
        ports: [{ port: 80 }, { port: 53, protocol: 'UDP', nodePort: 30053 }],
      },
    };
    expect(cells('', 'v1', 'services', svc)).toEqual([
      'web',
      'ClusterIP',
      '<none>',
      '<none>',
      '80/TCP,53:30053/UDP',
      '5s',
      'a=1,b=2',
    ]);
  });

  it('show a Pod without container statuses as 0/n Pending', () => {
    const pod = {
      metadata: { name: 'p', creationTimestamp: created(61) },
      spec: { containers: [{ name: 'a' }, { name: 'b' }] },
      status: { phase: 'Pending' },
    };
    expect(cells('', 'v1', 'pods', pod)).toEqual([
      'p',
      '0/2',
      'Pending',
      '0',
      '61s',
      '<none>',
      '<none>',
      '<none>',
      '<none>',
    ]);
  });

  it('show a Job, a CronJob and an HPA with their defaults', () => {
    const template = { spec: { containers: [{ name: 'main', image: 'busybox' }] } };
    expect(
      cells('batch', 'v1', 'jobs', {
        metadata: { name: 'j', creationTimestamp: created(1) },
        spec: { template },
      }),
    ).toEqual(['j', 'Running', '0/1', '', '1s', 'main', 'busybox', '<none>']);
    const cron = {
      metadata: { name: 'c', creationTimestamp: created(1) },
      spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template } } },
    };
    expect(cells('batch', 'v1', 'cronjobs', cron)).toEqual([
      'c',
      '0 3 * * *',
      '<none>',
      'False',
      0,
      '<none>',
      '1s',
      'main',
      'busybox',
      '<none>',
    ]);
    const hpa = {
      metadata: { name: 'h', creationTimestamp: created(1) },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'web' },
        maxReplicas: 5,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
          },
        ],
      },
      status: { currentMetrics: null, desiredReplicas: 0 },
    };
    expect(cells('autoscaling', 'v2', 'horizontalpodautoscalers', hpa)).toEqual([
      'h',
      'Deployment/web',
      'cpu: <unknown>/80%',
      '1',
      5,
      0,
      '1s',
    ]);
  });

  it('format label selectors with expressions as the apiserver does', () => {
    expect(
      formatLabelSelector({
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }],
      }),
    ).toBe('app=web,tier in (a,b)');
    expect(formatLabelSelector({})).toBe('<none>');
  });
});

describe('Table answers', () => {
  const r = registry.lookup('', 'v1', 'configmaps');
  const conversion = (include: TableConversion['include']): TableConversion => ({
    as: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    printer: printerOf(r as NonNullable<typeof r>),
    include,
    now: NOW,
  });
  const cm = {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    metadata: { name: 'a', resourceVersion: '7', creationTimestamp: created(3) },
    data: { k: 'v' },
  };

  it('wrap one object in a Table at its resourceVersion', () => {
    const table = JSON.parse(tableOfObject(conversion('Metadata'), cm));
    expect(table).toMatchObject({
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: '7' },
    });
    expect(table.rows).toEqual([
      {
        cells: ['a', 1, '3s'],
        object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: cm.metadata },
      },
    ]);
  });

  it('carry the object whole, its metadata or nothing, as includeObject says', () => {
    expect(JSON.parse(tableRow(conversion('Object'), cm)).object).toEqual(cm);
    expect(JSON.parse(tableRow(conversion('None'), cm)).object).toBeNull();
  });
});
