#!/usr/bin/env node
/**
 * The example router controller. With no flag it runs on an embedded in-memory API server
 * seeded with a sample cluster and a churn generator; with `--kubeconfig PATH` (or `--cluster`,
 * which uses KUBECONFIG or ~/.kube/config) it runs against that cluster.
 *
 *   npm start                       # embedded server, churn, runs until Ctrl-C
 *   npm start -- --kubeconfig ~/.kube/config
 *   npm start -- --duration 30      # stop by itself after 30 s
 *   --dashboard                     # also serve the live dashboard on the same cluster (npm start does)
 */
import { parseArgs } from 'node:util';
import { createClient } from '@kates/core';
import { ensureProtobufTranscoder, sampleClusterObjects, startFakeApiServer } from '@kates/testing';
import { startChurn } from './churn.js';
import { runController } from './controller.js';
import { sampleMappings } from './seed.js';

const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    cluster: { type: 'boolean', default: false },
    duration: { type: 'string' },
    churn: { type: 'string', default: '2000' },
    dashboard: { type: 'boolean', default: false },
    port: { type: 'string', default: '8001' },
  },
});

const time = () => new Date().toISOString().slice(11, 23);
const log = (line: string) => console.log(`${time()} ${line}`);

const embedded = !values.kubeconfig && !values.cluster;
const server = embedded
  ? await startFakeApiServer({ seed: [...sampleClusterObjects(), ...sampleMappings()] })
  : undefined;
const client = createClient(
  server ? { kubeconfig: server.kubeconfigPath } : values.kubeconfig ? { kubeconfig: values.kubeconfig } : {},
);
log(
  embedded
    ? `kates example controller on the embedded in-memory API server at ${server!.httpsUrl} (sample cluster, churn every ${values.churn} ms)`
    : `kates example controller on ${client.transport.server}`,
);
// The embedded server's kubeconfig trusts its own CA: kubectl works with it as it is.
if (server) log(`kubectl: export KUBECONFIG=${server.kubeconfigPath}   (then e.g. kubectl get mappings -A)`);
// kubectl's imperative commands (create configmap, expose, auth can-i) send protobuf, which the
// embedded server reads through a small Go codec: built once per machine (seconds where the test
// cluster was built, minutes cold), in the background; until then they get a 415 saying so.
if (server)
  void ensureProtobufTranscoder().then(
    () => log('protobuf codec ready: kubectl create, expose and auth work as against a cluster'),
    (e: Error) =>
      log(
        `no protobuf codec (${e.message.split('\n')[0]}): kubectl apply -f works, imperative creates get 415`,
      ),
  );
log(
  'watching Services, Deployments and Mappings; maintaining a routing-table ConfigMap per namespace. Ctrl-C stops.',
);

interface Dashboard {
  readonly url: string;
  close(): Promise<void>;
}
let dashboard: Dashboard | undefined;
if (values.dashboard) {
  // The dashboard example, on the very cluster this controller works on (loaded only when asked).
  const entry = new URL('../../dashboard/dist/node/server.js', import.meta.url).href;
  const { startDashboard } = (await import(entry)) as {
    startDashboard(o: { kubeconfig?: string; port?: number }): Promise<Dashboard>;
  };
  dashboard = await startDashboard({
    kubeconfig: server?.kubeconfigPath ?? values.kubeconfig,
    port: Number(values.port),
  });
  log(`dashboard: open ${dashboard.url} to watch the cluster and the routing tables live`);
}

const stopChurn = embedded ? startChurn(client, log, Number(values.churn)) : () => {};
const abort = new AbortController();
let stopping = false;
const stop = (why: string) => {
  if (stopping) return;
  stopping = true;
  log(`${why}: stopping`);
  stopChurn();
  abort.abort();
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
if (values.duration)
  setTimeout(() => stop(`ran for ${values.duration} s`), Number(values.duration) * 1000).unref();

try {
  const stats = await runController({ client, log, signal: abort.signal });
  log(
    `done: ${stats.reconciles} reconciles, ${stats.applied} applied, ${stats.deleted} deleted, ` +
      `${stats.conflicts} conflicts`,
  );
} finally {
  await dashboard?.close();
  client.close();
  await server?.stop();
}
