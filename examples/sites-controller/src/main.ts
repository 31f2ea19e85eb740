#!/usr/bin/env node
/**
 * The per-object example: a controller of Sites, reconciled one object at a time through a work
 * queue, with metrics, probes, Events, a finalizer and a graceful shutdown. With no flag it runs
 * on an embedded in-memory API server with a few Sites and some churn; with `--kubeconfig PATH`
 * (or `--cluster`) against that cluster.
 *
 *   node examples/sites-controller/dist/main.js                 # embedded server, until Ctrl-C
 *   node examples/sites-controller/dist/main.js --kubeconfig ~/.kube/config --leader-elect
 *   --port 8080 --host 0.0.0.0   # where /metrics, /healthz and /readyz are served (127.0.0.1:8080 by default)
 *   --duration 30                # stop by itself after 30 s (as a SIGTERM would)
 *   --install-crd=false          # leave the Site CRD to an admin (deploy/crd.yaml), as deployed
 */
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { createClient } from '@kates/core';
import { startFakeApiServer } from '@kates/testing';
import { startChurn } from './churn.js';
import { startSitesController } from './controller.js';
import { leaseElection } from './leader-election.js';
import { site, siteCrd } from './site.js';

const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    cluster: { type: 'boolean', default: false },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '8080' },
    duration: { type: 'string' },
    churn: { type: 'string', default: '1500' },
    'leader-elect': { type: 'boolean', default: false },
    'lease-namespace': { type: 'string', default: 'default' },
    'install-crd': { type: 'string', default: 'true' },
  },
});

const time = () => new Date().toISOString().slice(11, 23);
const log = (line: string) => console.log(`${time()} ${line}`);

const embedded = !values.kubeconfig && !values.cluster;
const namespace = 'sites';
const server = embedded
  ? await startFakeApiServer({
      seed: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
        siteCrd,
        site(namespace, 'shop', 'shop.example.com'),
        site(namespace, 'blog', 'blog.example.com'),
        site(namespace, 'broken', 'Not A Hostname'),
      ],
    })
  : undefined;
const client = createClient(
  server ? { kubeconfig: server.kubeconfigPath } : values.kubeconfig ? { kubeconfig: values.kubeconfig } : {},
);
log(
  embedded
    ? `sites controller on the embedded in-memory API server at ${server?.url} (churn every ${values.churn} ms)`
    : `sites controller on ${client.transport.server}`,
);

const election = values['leader-elect']
  ? leaseElection(client, {
      name: 'sites-controller',
      namespace: values['lease-namespace'],
      identity: process.env.POD_NAME ?? `${hostname()}-${process.pid}`,
    })
  : undefined;
const controller = await startSitesController({
  client,
  installCrd: values['install-crd'] !== 'false',
  manager: { server: { host: values.host, port: Number(values.port) }, log },
  ...(election ? { leaderElection: election.election } : {}),
});
const stopChurn = embedded ? startChurn(client, namespace, Number(values.churn), log) : () => {};
controller.manager.onStop(async () => {
  stopChurn();
  await election?.stop();
  client.close();
  await server?.stop();
});
if (values.duration) {
  setTimeout(
    () => void controller.manager.stop(`ran for ${values.duration} s`),
    Number(values.duration) * 1000,
  ).unref();
}

const report = await controller.done;
log(`done: ${JSON.stringify(report)}`);
// Leadership lost: exit non-zero, so that the pod restarts and campaigns again (controller-runtime exits too).
process.exitCode = report.reason === 'leader election lost' ? 1 : 0;
