import { describe, expect, it } from 'vitest';
import { serverSideApply } from './apply.js';
import type { JsonObject } from './json.js';
import { type FieldScope, trackUpdate } from './managed-fields.js';
import { ApiError } from './status.js';

const scope: FieldScope = { statusWrite: false, statusSubresource: true, builtin: true };
const at = (manager: string, live: JsonObject | undefined, config: JsonObject, force = false) =>
  serverSideApply({
    live,
    config,
    manager,
    force,
    apiVersion: 'apps/v1',
    time: '2026-01-01T00:00:00Z',
    scope,
  });

const deploy = (image: string, extra: JsonObject = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'd' },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'main', image }] } }, ...extra },
});

function withFields(result: { object: JsonObject; managedFields: unknown[] }): JsonObject {
  return {
    ...result.object,
    metadata: { ...(result.object.metadata as JsonObject), managedFields: result.managedFields },
  };
}

describe('server-side apply', () => {
  it('owns the leaves it applies, keyed list items by their key', () => {
    const r = at('a', undefined, deploy('x:1'));
    expect(r.managedFields).toEqual([
      {
        manager: 'a',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: '2026-01-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:spec': {
            'f:replicas': {},
            'f:template': {
              'f:spec': {
                'f:containers': {
                  'k:{"name":"main"}': { 'f:image': {}, 'f:name': {} },
                },
              },
            },
          },
        },
      },
    ]);
  });

  it('finds conflicts inside keyed list items, and merges items another manager adds', () => {
    const first = withFields(at('a', undefined, deploy('x:1')));
    expect(() => at('b', first, deploy('x:2'))).toThrow(ApiError);
    try {
      at('b', first, deploy('x:2'));
    } catch (e) {
      expect((e as ApiError).status.message).toBe(
        'Apply failed with 1 conflict: conflict with "a": .spec.template.spec.containers[name="main"].image',
      );
    }
    const side = withFields(
      at('b', first, {
        ...deploy('x:1'),
        spec: { template: { spec: { containers: [{ name: 'side', image: 'y:1' }] } } },
      }),
    );
    expect((side.spec as JsonObject).template).toEqual({
      spec: {
        containers: [
          { name: 'main', image: 'x:1' },
          { name: 'side', image: 'y:1' },
        ],
      },
    });
    const dropped = at('b', side, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } });
    expect((dropped.object.spec as JsonObject).template as JsonObject).toEqual({
      spec: { containers: [{ name: 'main', image: 'x:1' }] },
    });
  });

  it('conflicts with an Update manager that owns an atomic value around the applied field', () => {
    const live = { ...deploy('x:1'), spec: { selector: { matchLabels: { app: 'a' } } } } as JsonObject;
    const owned = {
      ...live,
      metadata: {
        name: 'd',
        managedFields: trackUpdate(
          [],
          undefined,
          live,
          { ...scope, builtin: true },
          { manager: 'kubectl', apiVersion: 'apps/v1', time: '2026-01-01T00:00:00Z' },
        ),
      },
    };
    expect(() =>
      at('b', owned, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd' },
        spec: { selector: { matchLabels: { app: 'b' } } },
      }),
    ).toThrow(/conflict with "kubectl" using apps\/v1: \.spec\.selector/);
  });

  it('applies only status on the status subresource', () => {
    const r = serverSideApply({
      live: deploy('x:1') as JsonObject,
      config: { ...deploy('z:9'), status: { replicas: 3 } },
      manager: 'ctl',
      force: false,
      apiVersion: 'apps/v1',
      time: 't',
      scope: { ...scope, statusWrite: true },
      subresource: 'status',
    });
    expect(r.object.status).toEqual({ replicas: 3 });
    expect(JSON.stringify(r.object.spec)).toContain('x:1');
    expect(r.managedFields[0]).toMatchObject({
      subresource: 'status',
      fieldsV1: { 'f:status': { 'f:replicas': {} } },
    });
  });
});
