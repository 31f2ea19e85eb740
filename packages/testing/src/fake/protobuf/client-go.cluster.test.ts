import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realCluster } from '../../vitest/cluster.js';
import { type FakeApiServer, startFakeApiServer } from '../server.js';
import { ensureProtobufTranscoder } from './build.js';

const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** What `kates-protobuf client` printed: one JSON object per step (cluster/protobuf/client.go). */
type Step = Record<string, unknown> & { step: string };

/** Runs the client-go program (typed clientset, protobuf both ways) against a kubeconfig. */
function runGoClient(binary: string, kubeconfigPath: string, prefix: string): Promise<Step[]> {
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      ['client', '--kubeconfig', kubeconfigPath, '--namespace', 'default', '--prefix', prefix],
      { timeout: 90_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`kates-protobuf client failed: ${stderr}\n${stdout}`));
        else
          resolve(
            stdout
              .trim()
              .split('\n')
              .map((line) => JSON.parse(line) as Step),
          );
      },
    );
  });
}

/** The steps a Go controller's first minute should see, on either server. */
const expectedSteps = (prefix: string): Step[] => [
  { step: 'create', kind: 'ConfigMap', name: `${prefix}-cm`, hasUID: true, data: { greeting: 'hello' } },
  {
    step: 'create',
    kind: 'Deployment',
    name: `${prefix}-deploy`,
    hasUID: true,
    replicas: 2,
    strategy: 'RollingUpdate',
  },
  { step: 'list', kind: 'ConfigMapList', names: [`${prefix}-cm`], hasResourceVersion: true },
  { step: 'list', kind: 'DeploymentList', names: [`${prefix}-deploy`], hasResourceVersion: true },
  {
    step: 'watch',
    kind: 'ConfigMap',
    event: 'MODIFIED',
    name: `${prefix}-cm`,
    data: { greeting: 'hello again' },
  },
  { step: 'delete', names: [`${prefix}-deploy`, `${prefix}-cm`] },
  {
    step: 'responses',
    // Every request and every answer in protobuf, the watch in length-delimited frames.
    contentTypes: [
      `DELETE ${PROTOBUF} -> ${PROTOBUF}`,
      `GET - -> ${PROTOBUF}`,
      `GET - -> ${PROTOBUF};stream=watch`,
      `POST ${PROTOBUF} -> ${PROTOBUF}`,
      `PUT ${PROTOBUF} -> ${PROTOBUF}`,
    ],
  },
];

describe('a Go client (client-go typed clientset, protobuf) on the fake and the real API server', () => {
  const cluster = realCluster();
  let binary: string;
  let fake: FakeApiServer;
  const prefix = `go-${Math.random().toString(36).slice(2, 7)}`;

  beforeAll(async () => {
    binary = await ensureProtobufTranscoder();
    fake = await startFakeApiServer();
  });
  afterAll(() => fake?.stop());

  it('creates a ConfigMap and a Deployment, lists, watches and deletes them on the fake', async () => {
    expect(await runGoClient(binary, fake.kubeconfigPath, prefix)).toEqual(expectedSteps(prefix));
  });

  it.skipIf(!cluster)('does the same, with the same answers, on the real kube-apiserver', async () => {
    const kubeconfig = cluster?.kubeconfigPath as string;
    expect(await runGoClient(binary, kubeconfig, prefix)).toEqual(expectedSteps(prefix));
  });
});
