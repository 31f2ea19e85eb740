/**
 * The dashboard's server: the kates proxy (kubeconfig credentials stay here) and the built
 * dashboard's files on one origin. Without --kubeconfig it runs on an embedded in-memory API
 * server seeded with a sample cluster.
 *
 *   node examples/dashboard/dist/node/server.js [--kubeconfig PATH] [--context NAME] [--port 8001]
 *        [--host 127.0.0.1] [--allow-writes] [--pods 10000 --churn 100]
 *
 * `--pods` and `--churn` apply to the embedded server: synthetic pods, and status changes a second.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createClient } from '@kates/core';
import { type KubeProxy, startKubeProxy } from '@kates/proxy';
import { startChurn, syntheticPods } from './load.js';
import { queries } from './src/cluster.js';
import { FIELDS_OF_QUERY } from './src/fields.js';

/**
 * The dashboard's own queries, each projected to its table's fields as its pages ask for them
 * (`withShownFields`): the proxy lists and watches them from its start, so a first page is served
 * from its memory, every object's text already made (`/readyz` says when).
 */
const WARM = queries.map((q) => ({ ...q, fields: FIELDS_OF_QUERY[q.name] }));

/** Options of {@link startDashboard}. */
export interface DashboardOptions {
  /** A kubeconfig; without one, an embedded in-memory API server with a sample cluster. */
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly port?: number;
  readonly host?: string;
  readonly allowWrites?: boolean;
  /** The built dashboard (default: `dist/web` beside this package). */
  readonly staticDir?: string;
  /** Synthetic pods added to the embedded sample cluster (default 0). */
  readonly pods?: number;
  /** Status changes a second to the synthetic pods, through the API server (default 0). */
  readonly churn?: number;
  /** Whether the proxy keeps the dashboard's queries warm from its start (default true). */
  readonly warm?: boolean;
}

/** A running dashboard server. */
export interface Dashboard {
  readonly url: string;
  readonly proxy: KubeProxy;
  /** Where the data comes from: the API server's URL, or `embedded`. */
  readonly source: string;
  close(): Promise<void>;
}

/** The built dashboard: `dist/web` of this package, from the sources or from `dist/node`. */
function defaultStaticDir(): string {
  const here = import.meta.url;
  return fileURLToPath(new URL(here.includes('/dist/node/') ? '../web/' : './dist/web/', here));
}

/** Starts the proxy and the static files, on the kubeconfig's cluster or an embedded one. */
export async function startDashboard(options: DashboardOptions = {}): Promise<Dashboard> {
  const staticDir = options.staticDir ?? defaultStaticDir();
  if (!existsSync(`${staticDir}/index.html`)) {
    throw new Error(
      `the dashboard is not built (no ${staticDir}/index.html): run \`npm run build -w @kates/example-dashboard\``,
    );
  }
  const common = {
    port: options.port ?? 8001,
    host: options.host ?? '127.0.0.1',
    allowWrites: options.allowWrites ?? false,
    staticDir,
    ...(options.warm === false ? {} : { warm: WARM }),
  };
  if (options.kubeconfig) {
    const proxy = await startKubeProxy({
      ...common,
      kubeconfig: options.kubeconfig,
      ...(options.context ? { context: options.context } : {}),
    });
    return { url: proxy.url, proxy, source: proxy.apiServer, close: () => proxy.close() };
  }
  // Loaded only when used: with a kubeconfig, no in-memory server code is loaded.
  const { sampleClusterObjects, startFakeApiServer } = await import('@kates/testing');
  const pods = options.pods ?? 0;
  const fake = await startFakeApiServer({ seed: [...sampleClusterObjects(), ...syntheticPods(pods)] });
  try {
    const proxy = await startKubeProxy({ ...common, kubeconfig: fake.kubeconfigPath });
    const writer = createClient({ kubeconfig: fake.kubeconfigPath });
    const stopChurn = startChurn(writer, pods, options.churn ?? 0);
    return {
      url: proxy.url,
      proxy,
      source: `embedded (${fake.url})`,
      close: async () => {
        stopChurn();
        writer.transport.close?.();
        await proxy.close();
        await fake.stop();
      },
    };
  } catch (e) {
    await fake.stop();
    throw e;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'allow-writes': { type: 'boolean' },
      pods: { type: 'string' },
      churn: { type: 'string' },
      'static-dir': { type: 'string' },
    },
  });
  const dashboard = await startDashboard({
    ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}),
    ...(values.context ? { context: values.context } : {}),
    ...(values.port ? { port: Number(values.port) } : {}),
    ...(values.host ? { host: values.host } : {}),
    ...(values['static-dir'] ? { staticDir: values['static-dir'] } : {}),
    ...(values.pods ? { pods: Number(values.pods) } : {}),
    ...(values.churn ? { churn: Number(values.churn) } : {}),
    allowWrites: values['allow-writes'] ?? false,
  });
  process.stdout.write(
    `kates dashboard at ${dashboard.url} (cluster: ${dashboard.source}` +
      `${values['allow-writes'] ? ', writes allowed' : ', read-only'})\n`,
  );
  const started = performance.now();
  void dashboard.proxy.waitForCacheSync().then((synced) => {
    if (synced)
      process.stdout.write(
        `caches warm in ${((performance.now() - started) / 1000).toFixed(1)} s (/readyz)\n`,
      );
  });
  const stop = () => void dashboard.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    process.stderr.write(`kates dashboard: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
