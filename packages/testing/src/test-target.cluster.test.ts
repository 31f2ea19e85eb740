import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { testTarget } from './test-target.js';
import { realCluster } from './vitest/cluster.js';

describe('testTarget, the one switch between servers', () => {
  const saved = process.env.KATES_TEST_SERVER;
  afterEach(() => {
    if (saved === undefined) delete process.env.KATES_TEST_SERVER;
    else process.env.KATES_TEST_SERVER = saved;
  });

  it('starts a fake API server for KATES_TEST_SERVER=fake', async () => {
    process.env.KATES_TEST_SERVER = 'fake';
    const target = await testTarget();
    expect(target.kind).toBe('fake');
    expect(readFileSync(target.kubeconfigPath, 'utf8')).toContain('server: https://127.0.0.1:');
    await target.stop();
  });

  it('uses the real cluster by default', async () => {
    delete process.env.KATES_TEST_SERVER;
    if (realCluster()) {
      const target = await testTarget();
      expect(target.kind).toBe('real');
      expect(target.kubeconfigPath).toBe(realCluster()?.kubeconfigPath);
      await target.stop();
    } else {
      await expect(testTarget()).rejects.toThrow(/set KATES_TEST_SERVER=fake/);
    }
  });

  it('refuses an unknown server kind', async () => {
    process.env.KATES_TEST_SERVER = 'minikube';
    await expect(testTarget()).rejects.toThrow('KATES_TEST_SERVER=minikube: use "real" or "fake"');
  });
});
