import {
  type KubernetesObject,
  PROJECTION_PARAM,
  type Transport,
  type TransportRequest,
} from '@kates/core/browser';
import { describe, expect, it } from 'vitest';
import { isProjectionError, takeProjection } from '../../../packages/proxy/src/fanout/projection.js';
import { queries } from './cluster.js';
import { FIELDS_OF_QUERY, KIND_OF_QUERY, SHOWN_FIELDS } from './fields.js';
import { keepShownFields, resourceOf, withShownFields } from './projection.js';

/** A transport that records what it was asked. */
function recording(): { transport: Transport; asked: TransportRequest[] } {
  const asked: TransportRequest[] = [];
  const transport: Transport = {
    server: 'http://proxy.test',
    request: async (req) => {
      asked.push(req);
      return { status: 200, headers: {}, text: async () => '{}', lines: async function* () {} };
    },
  };
  return { transport, asked };
}

const pod: KubernetesObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'p',
    namespace: 'a',
    uid: 'u',
    resourceVersion: '7',
    creationTimestamp: '2026-01-01T00:00:00Z',
    managedFields: [],
    annotations: { a: 'b' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'o' }],
  },
  spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'x' }], volumes: [] },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [{ name: 'app', ready: true, restartCount: 2, image: 'x' }],
    podIP: '10.0.0.1',
  },
};
const projectedPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'p',
    namespace: 'a',
    uid: 'u',
    resourceVersion: '7',
    creationTimestamp: '2026-01-01T00:00:00Z',
  },
  spec: { nodeName: 'n1', containers: [{ name: 'app' }] },
  status: { phase: 'Running', containerStatuses: [{ ready: true, restartCount: 2 }] },
};

describe('the projection of each table', () => {
  it('names a resource by the last collection of a request path', () => {
    expect(resourceOf('/api/v1/pods')).toBe('pods');
    expect(resourceOf('/api/v1/namespaces/a/pods')).toBe('pods');
    expect(resourceOf('/api/v1/namespaces/a/pods/p')).toBe('pods');
    expect(resourceOf('/api/v1/namespaces')).toBe('namespaces');
    expect(resourceOf('/api/v1/namespaces/a')).toBe('namespaces');
    expect(resourceOf('/apis/apps/v1/deployments')).toBe('deployments');
    expect(resourceOf('/apis/example.kates.dev/v1/namespaces/a/mappings')).toBe('mappings');
    expect(resourceOf('/api')).toBeUndefined();
    expect(resourceOf('/apis/apps/v1')).toBeUndefined();
  });

  it('asks the proxy for the pods table fields alone when it lists or watches pods', async () => {
    const { transport, asked } = recording();
    const t = withShownFields(transport);
    await t.request({ method: 'GET', path: '/api/v1/pods', query: { limit: 10 } });
    await t.request({ method: 'GET', path: '/api/v1/nodes', query: { watch: true } });
    await t.request({ method: 'GET', path: '/apis/apps/v1' });
    await t.request({ method: 'POST', path: '/api/v1/namespaces/a/pods', body: '{}' });
    const fieldsOf = (r: TransportRequest | undefined) =>
      String(r?.query?.[PROJECTION_PARAM] ?? '').split(',');
    expect(fieldsOf(asked[0])).toEqual([...FIELDS_OF_QUERY.pods].sort());
    expect(fieldsOf(asked[0])).not.toContain('status.conditions.type');
    expect(asked[0]?.query?.limit).toBe(10);
    expect(fieldsOf(asked[1])).toEqual([...FIELDS_OF_QUERY.nodes].sort());
    expect(fieldsOf(asked[2])).toEqual([...SHOWN_FIELDS].sort());
    expect(asked[3]?.query?.[PROJECTION_PARAM]).toBeUndefined();
  });

  it('keeps of a pod the fields its table shows, without owners or annotations, and of a node its conditions', () => {
    const keep = keepShownFields();
    expect(keep(pod)).toEqual(projectedPod);
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1', uid: 'n', annotations: { a: 'b' } },
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }], phase: 'x' },
    };
    expect(keep(node)).toEqual({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1', uid: 'n' },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    });
  });

  it('keeps every shown field of an object without a kind, and projects what the proxy projected to itself', () => {
    const keep = keepShownFields();
    const { kind: _, ...noKind } = pod;
    expect(keep(noKind as KubernetesObject).status?.conditions).toEqual([{ type: 'Ready', status: 'True' }]);
    expect(keep(projectedPod)).toEqual(projectedPod);
  });

  it('has the fields and the kind of every query the dashboard watches', () => {
    for (const q of queries) {
      expect(FIELDS_OF_QUERY[q.name].length).toBeGreaterThan(0);
      expect(KIND_OF_QUERY[q.name]).toMatch(/^[A-Z]/);
    }
  });
});

describe('keeping what the proxy projected', () => {
  const keep = keepShownFields();

  it('gives back an object the proxy projected as it came, not a copy', () => {
    expect(keep(projectedPod)).toBe(projectedPod);
    const event = {
      kind: 'Event',
      metadata: { name: 'e', uid: 'e', creationTimestamp: '2026-01-01T00:00:00Z' },
      type: 'Normal',
      involvedObject: { kind: 'Pod', name: 'p' },
    };
    expect(keep(event)).toBe(event);
    const configMap = { kind: 'ConfigMap', metadata: { name: 'c', uid: 'c' }, data: { a: '1', b: '2' } };
    expect(keep(configMap)).toBe(configMap);
  });

  it('projects an object with anything its table does not show, the proxy in the same way', () => {
    const cases: KubernetesObject[] = [
      pod,
      { ...projectedPod, metadata: { ...projectedPod.metadata, managedFields: [] } },
      { ...projectedPod, metadata: { ...projectedPod.metadata, generateName: 'p-' } },
      { ...projectedPod, spec: { ...projectedPod.spec, volumes: [] } },
      { ...projectedPod, spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'x' }] } },
      { ...projectedPod, spec: { nodeName: 'n1', containers: ['app'] } },
      { ...projectedPod, status: 'Running' },
      { ...projectedPod, extra: 1 },
      { apiVersion: 'v1', kind: 'Pod', status: { phase: 'Running' } },
    ];
    // As the proxy projects the pods the page asks for (warm caches included).
    const asked = takeProjection({ [PROJECTION_PARAM]: FIELDS_OF_QUERY.pods.join(',') });
    if (!asked || isProjectionError(asked)) throw new Error('no projection');
    for (const obj of cases) {
      const kept = keep(obj);
      expect(kept).not.toBe(obj);
      expect(kept).toEqual(asked.transform(obj));
      expect(keep(asked.transform(obj))).toEqual(kept);
    }
  });

  it('keeps every key of a field kept whole, and only the named part of a field with a path under it', () => {
    const cm = { kind: 'ConfigMap', metadata: { name: 'c', uid: 'c' }, data: { nested: { deep: 1 } } };
    expect(keep(cm)).toBe(cm);
    const node = {
      kind: 'Node',
      metadata: { name: 'n', uid: 'n' },
      status: { nodeInfo: { kubeletVersion: 'v1', osImage: 'x' } },
    };
    expect(keep(node)).toEqual({
      kind: 'Node',
      metadata: { name: 'n', uid: 'n' },
      status: { nodeInfo: { kubeletVersion: 'v1' } },
    });
  });
});
