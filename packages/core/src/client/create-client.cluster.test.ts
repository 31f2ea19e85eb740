import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { isForbidden } from '../errors/predicates.js';
import { cluster, useTestServer } from './__fixtures__/cluster.js';
import { createClient } from './create-client.js';

const savedKubeconfig = process.env.KUBECONFIG;
afterEach(() => {
  if (savedKubeconfig === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = savedKubeconfig;
});

describe.skipIf(!cluster)('createClient', () => {
  const server = useTestServer();

  it('loads a kubeconfig file and takes the namespace from its context', async () => {
    const client = createClient({ kubeconfig: server.kubeconfigPath });
    try {
      expect(client.namespace).toBe('default');
      const kc = new KubeConfig();
      kc.loadFromFile(server.kubeconfigPath);
      expect(client.transport.server).toBe(kc.getCurrentCluster()?.server);
      expect((await client.get('ns', 'default')).metadata?.name).toBe('default');
    } finally {
      client.close();
    }
  });

  it('follows $KUBECONFIG by default, as kubectl does', async () => {
    process.env.KUBECONFIG = server.kubeconfigPath;
    const client = createClient({ namespace: 'kube-system' });
    try {
      expect(client.namespace).toBe('kube-system');
      expect((await client.list('ns')).map((n) => n.metadata?.name)).toContain('kube-system');
    } finally {
      client.close();
    }
  });

  it("uses the context named, with that user's credentials", async () => {
    const client = createClient({ kubeconfig: server.kubeconfigPath, context: 'nobody' });
    try {
      const error = await client.list('pods').catch((e: unknown) => e);
      expect(isForbidden(error)).toBe(true);
      expect((error as Error).message).toMatch(
        /^list pods in namespace "default": 403 Forbidden: .*kubectl auth can-i/,
      );
    } finally {
      client.close();
    }
  });

  it('accepts a loaded KubeConfig', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(server.kubeconfigPath);
    const client = createClient({ kubeconfig: kc, namespace: 'elsewhere' });
    try {
      expect(client.namespace).toBe('elsewhere');
      expect((await client.discovery.resolve('svc')).resource).toBe('services');
    } finally {
      client.close();
    }
  });

  it('names the contexts there are when the one asked for is missing', () => {
    expect(() => createClient({ kubeconfig: server.kubeconfigPath, context: 'prod' })).toThrow(
      'kubeconfig has no context "prod"; its contexts are: "admin", "nobody"',
    );
  });

  it('says when the kubeconfig file does not exist', () => {
    expect(() => createClient({ kubeconfig: '/nonexistent/kubeconfig' })).toThrow(
      'kubeconfig file /nonexistent/kubeconfig does not exist',
    );
  });
});
