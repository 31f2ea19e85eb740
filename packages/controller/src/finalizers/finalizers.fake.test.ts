import { startFakeApiServer } from '@kates/testing';
import { describe, expect, it } from 'vitest';
import { describeFinalizersOn } from './__fixtures__/finalizers-on-server.js';
import { addFinalizer, hasFinalizer, isDeleting } from './finalizers.js';

describeFinalizersOn('the fake API server', async () => {
  const server = await startFakeApiServer();
  return { kubeconfigPath: server.kubeconfigPath, stop: () => server.stop() };
});

describe('the finalizer helpers, before any request', () => {
  const cm = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'a', namespace: 'ns', finalizers: ['x.io/y'] },
  };

  it('read finalizers and deletion from the object', () => {
    expect(hasFinalizer(cm, 'x.io/y')).toBe(true);
    expect(hasFinalizer(cm, 'x.io/z')).toBe(false);
    expect(isDeleting(cm)).toBe(false);
    expect(isDeleting({ metadata: { deletionTimestamp: '2026-12-04T21:00:00Z' } })).toBe(true);
  });

  it('refuse a finalizer without a domain, and an object without a resourceVersion to guard the write', async () => {
    const client = { get: async () => cm, patch: async () => cm } as never;
    await expect(addFinalizer(client, cm, 'cleanup')).rejects.toThrow(
      /use a domain-qualified name such as "example.com\/cleanup"/,
    );
    await expect(addFinalizer(client, cm, 'x.io/z')).rejects.toThrow(
      /ConfigMap ns\/a has no metadata.resourceVersion; pass the object as read from the API server/,
    );
  });
});
