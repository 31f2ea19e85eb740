import { createNodeTransport, type KubernetesList, type KubernetesObject } from '@kates/core';
import { collectionPath, objectPath } from '@kates/core/internal';
import { startCluster } from '@kates/testing';
import { KubeConfig } from '@kubernetes/client-node';
import { Driver } from '../driver.js';
import { objectName } from '../objects.js';
import { RESOURCES } from '../resources.js';
import type { Collection } from '../scenarios/context.js';
import { ensureEtcdSeed, seedEtcd } from './etcd-seed.js';
import type { BenchServer } from './fake.js';

/** How the real server's objects are made. */
export interface RealSeedOptions {
  /**
   * `etcd` (default): written straight into etcd by bench/etcd-seed (100k ConfigMaps in seconds;
   * creates through the API take minutes on 2 cores), falling back to `api` where it does not
   * build; `api`: created through the API, `concurrency` at a time.
   */
  readonly seed?: 'etcd' | 'api';
  readonly concurrency?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A real kube-apiserver with etcd (built from the Go module proxy, cached), holding the
 * collections. It cannot stall watches on command.
 */
export async function startRealServer(
  collections: readonly Collection[],
  log: (line: string) => void,
  options: RealSeedOptions = {},
): Promise<BenchServer> {
  const concurrency = options.concurrency ?? 32;
  let seeder: string | undefined;
  if ((options.seed ?? 'etcd') === 'etcd') {
    try {
      seeder = await ensureEtcdSeed(log);
    } catch (e) {
      log(
        `etcd-seed did not build, creating through the API instead: ${(e as Error).message.split('\n')[0]}`,
      );
    }
  }
  const cluster = await startCluster({ onProgress: log });
  const t0 = performance.now();
  try {
    for (const c of collections) {
      const driver = new Driver(cluster.kubeconfigPath, c.kind, c.namespace);
      try {
        if (seeder) {
          await driver.create(0); // the namespace, through the API
          const t = performance.now();
          const report = await seedEtcd(seeder, cluster.etcdUrl, c.kind, c.namespace, c.n);
          await untilCached(cluster.kubeconfigPath, c, report.revision);
          log(
            `seeded ${c.n} ${c.kind}s into etcd in ${Math.round(report.ms)} ms, in the API server's cache after ${Math.round(performance.now() - t)} ms`,
          );
        } else {
          await driver.create(c.n, concurrency);
        }
      } finally {
        driver.close();
      }
      await checkServed(cluster.kubeconfigPath, c);
    }
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  return {
    name: 'real',
    kubeconfigPath: cluster.kubeconfigPath,
    setupMs: performance.now() - t0,
    setup: seeder
      ? 'written straight into etcd by bench/etcd-seed (protobuf, as kube-apiserver stores them; uid and creationTimestamp set, resourceVersion from etcd)'
      : `created through the API, ${concurrency} at a time`,
    stop: () => cluster.stop(),
  };
}

/**
 * Waits until the API server's watch cache has reached `revision` for the collection's resource:
 * a LIST at resourceVersion 0 (served from the cache) that matches nothing answers with the
 * cache's version.
 */
async function untilCached(kubeconfigPath: string, c: Collection, revision: number): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const transport = createNodeTransport(kc);
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const res = await transport.request({
        method: 'GET',
        path: collectionPath(RESOURCES[c.kind], c.namespace),
        query: { resourceVersion: '0', fieldSelector: 'metadata.name=-none-' },
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`LIST answered ${res.status}: ${text.slice(0, 300)}`);
      const rv = Number((JSON.parse(text) as KubernetesList).metadata?.resourceVersion);
      if (rv >= revision) return;
      if (Date.now() > deadline)
        throw new Error(`the API server's cache reached revision ${rv}, not ${revision}, within 120 s`);
      await sleep(100);
    }
  } finally {
    transport.close();
  }
}

/**
 * Checks that the API server serves the collection as created through its API: the consistent
 * count (from etcd), and a GET of one object with the fields the API server sets on create.
 */
async function checkServed(kubeconfigPath: string, c: Collection): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const transport = createNodeTransport(kc);
  try {
    const list = await transport.request({
      method: 'GET',
      path: collectionPath(RESOURCES[c.kind], c.namespace),
      query: { limit: 1 },
    });
    const page = JSON.parse(await list.text()) as KubernetesList & {
      metadata?: { remainingItemCount?: number };
    };
    const count = page.items.length + (page.metadata?.remainingItemCount ?? 0);
    if (list.status !== 200 || count !== c.n)
      throw new Error(`the API server lists ${count} ${c.kind}s in ${c.namespace}, expected ${c.n}`);
    const name = objectName(c.kind, c.n - 1);
    const res = await transport.request({
      method: 'GET',
      path: objectPath(RESOURCES[c.kind], name, c.namespace),
    });
    const text = await res.text();
    const obj = res.status === 200 ? (JSON.parse(text) as KubernetesObject) : undefined;
    const m = obj?.metadata;
    if (!m?.uid || !m.creationTimestamp || !m.resourceVersion || obj?.kind !== c.kind)
      throw new Error(`GET ${c.namespace}/${name} answered ${res.status}: ${text.slice(0, 300)}`);
  } finally {
    transport.close();
  }
}
