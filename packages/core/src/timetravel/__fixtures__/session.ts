import type { UnknownAction } from '@reduxjs/toolkit';
import type { KubernetesObject } from '../../model/object.js';
import * as a from '../../store/actions.js';

/** A Secret value that must never appear in a recording. */
export const SECRET_VALUE = 'c3VwZXItc2VjcmV0LXBhc3N3b3Jk';
/** A bearer token that must never appear either. */
export const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlLXBhcnQ';

export function configMap(
  name: string,
  uid: string,
  rv: number,
  data: Record<string, string> = {},
  labels?: Record<string, string>,
): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'ns', uid, resourceVersion: String(rv), ...(labels ? { labels } : {}) },
    data,
  };
}

export function secret(name: string, uid: string, rv: number, value: string): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name,
      namespace: 'ns',
      uid,
      resourceVersion: String(rv),
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ data: { password: value } }),
      },
    },
    data: { password: value, user: 'YWRtaW4=' },
  };
}

const CM = 'ConfigMap|ns||';
const SEC = 'Secret|ns||';
const at = '2024-01-01T00:00:00.000Z';

/**
 * A session touching every kind of action, with resourceVersions as a real API server gives them:
 * two accumulators sharing a watch, a list in two pages, watch events (added, modified, deleted,
 * bookmark), local writes ahead of the watch (one a delete), an error carrying a bearer token, a
 * relist that drops an object, a poison line, an unserved query, and Secrets.
 */
export function sessionActions(): UnknownAction[] {
  const cm1 = configMap('one', 'u1', 101, { k: 'v1' }, { app: 'web' });
  const cm2 = configMap('two', 'u2', 102, { k: 'v2' });
  const s1 = secret('db', 's1', 103, SECRET_VALUE);
  const cm1b = configMap('one', 'u1', 104, { k: 'v1b' }, { app: 'web' });
  const cm3 = configMap('three', 'u3', 105, { k: 'v3' }, { app: 'web' });
  const local = configMap('local', 'u4', 106, { k: 'mine' });
  const localSecret = secret('db', 's1', 107, `${SECRET_VALUE}-2`);
  const cm2b = configMap('two', 'u2', 108, { k: 'v2b' });
  const cm2gone = configMap('two', 'u2', 109, { k: 'v2b' });
  const localGone = configMap('local', 'u4', 111, { k: 'mine' });
  const query = (acc: string, name: string, kind: string, namespace?: string) =>
    a.queryAdded({
      id: `${acc}/${name}`,
      accumulator: acc,
      name,
      kind,
      ...(namespace ? { namespace } : {}),
      labelSelector: '',
      fieldSelector: '',
    });
  return [
    query('acc1', 'ConfigMaps', 'configmaps', 'ns'),
    query('acc1', 'Secrets', 'secrets', 'ns'),
    query('acc1', 'Widgets', 'widgets'),
    query('acc2', 'Shared', 'cm', 'ns'),
    a.reflectorAdded({
      key: CM,
      groupKind: 'ConfigMap',
      apiVersion: 'v1',
      resource: 'configmaps',
      namespace: 'ns',
      labelSelector: '',
      fieldSelector: '',
    }),
    a.queryBound({ id: 'acc1/ConfigMaps', groupKind: 'ConfigMap', watchKey: CM }),
    a.reflectorAdded({
      key: SEC,
      groupKind: 'Secret',
      apiVersion: 'v1',
      resource: 'secrets',
      namespace: 'ns',
      labelSelector: '',
      fieldSelector: '',
    }),
    a.queryBound({ id: 'acc1/Secrets', groupKind: 'Secret', watchKey: SEC }),
    a.queryFailed({
      id: 'acc1/Widgets',
      phase: 'unserved',
      error: {
        message:
          'query "Widgets": kind "widgets" is not ' + 'served by this cluster; waiting for it to appear',
        at,
      },
    }),
    a.listStarted({ key: CM }),
    a.listPage({ key: CM, items: [cm1] }),
    a.listPage({ key: CM, items: [cm2] }),
    a.listCompleted({ key: CM, resourceVersion: '103' }),
    a.reflectorStatus({ key: CM, phase: 'watching', error: null, attempt: 0, retryAt: null }),
    a.listStarted({ key: SEC }),
    a.listPage({ key: SEC, items: [s1] }),
    a.listCompleted({ key: SEC, resourceVersion: '103' }),
    a.reflectorStatus({ key: SEC, phase: 'watching', error: null, attempt: 0, retryAt: null }),
    a.queryBound({ id: 'acc2/Shared', groupKind: 'ConfigMap', watchKey: CM }),
    a.watchEvents({
      key: CM,
      events: [
        { type: 'MODIFIED', object: cm1b },
        { type: 'ADDED', object: cm3 },
      ],
    }),
    a.localWrite({ groupKind: 'ConfigMap', object: local, deleted: false, verb: 'create' }),
    a.localWrite({ groupKind: 'Secret', object: localSecret, deleted: false, verb: 'update' }),
    a.reflectorStatus({
      key: CM,
      phase: 'backing-off',
      attempt: 1,
      retryAt: at,
      count: 'reconnects',
      error: {
        message: `watch of configmaps: connection reset (Authorization: Bearer ${TOKEN})`,
        reason: 'TransportError',
        at,
      },
    }),
    a.poisonLine({ key: CM, text: 'not JSON (Unexpected token) {"type":"ADDED","object":{"token=abc123"' }),
    a.reflectorStatus({
      key: CM,
      phase: 'relisting',
      count: 'relists',
      error: { message: 'resourceVersion too old (410 Gone)', code: 410, reason: 'Gone', at },
    }),
    a.listStarted({ key: CM }),
    a.listPage({ key: CM, items: [cm1b, local, cm2b] }),
    a.listCompleted({ key: CM, resourceVersion: '108' }),
    a.reflectorStatus({ key: CM, phase: 'watching', error: null, attempt: 0, retryAt: null }),
    a.watchEvents({ key: SEC, events: [{ type: 'MODIFIED', object: localSecret }] }),
    a.watchEvents({ key: CM, events: [{ type: 'DELETED', object: cm2gone }] }),
    a.watchEvents({
      key: CM,
      events: [
        {
          type: 'BOOKMARK',
          object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { resourceVersion: '110' } },
        },
      ],
    }),
    a.localWrite({ groupKind: 'ConfigMap', object: localGone, deleted: true, verb: 'delete' }),
    a.queryRemoved({ id: 'acc2/Shared' }),
  ];
}
