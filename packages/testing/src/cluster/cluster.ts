import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClusterBinaries, ensureClusterBinaries } from './binaries.js';
import { generatePki } from './certs.js';
import { writeKubeconfig } from './kubeconfig.js';
import { freePort, onFreshPorts } from './ports.js';
import { type ManagedProcess, startProcess } from './process.js';

const DEFAULT_CONTROLLERS = ['deployment', 'replicaset', 'garbagecollector', 'namespace'];

/** Options of {@link startCluster}. */
export interface ClusterOptions {
  /**
   * Also run kube-controller-manager: `true` for its deployment, replicaset, garbagecollector and
   * namespace controllers (Deployments make ReplicaSets and Pods, GC, namespace deletion), or the
   * names of the controllers to run (e.g. `['garbagecollector']`, where a test writes Deployment
   * status itself).
   */
  readonly controllers?: boolean | readonly string[];
  /** kube-apiserver's watch cache; on by default, as in real clusters. */
  readonly watchCache?: boolean;
  /** Where progress lines (Go build, start-up) go; stderr by default. */
  readonly onProgress?: (line: string) => void;
  /** How long to wait for the API server to become ready, in ms (default 120 s). */
  readonly readyTimeoutMs?: number;
}

/** A running kube-apiserver with etcd (and optionally kube-controller-manager) on loopback. */
export interface Cluster {
  /** A kubeconfig whose current context is an admin in `system:masters`. */
  readonly kubeconfigPath: string;
  /** The same cluster as a user with no permissions at all (context `nobody`), for 403 tests. */
  readonly nobodyKubeconfigPath: string;
  /** `https://127.0.0.1:PORT`. */
  readonly server: string;
  /** The CA that signed the serving certificate, PEM. */
  readonly caPem: string;
  /** The admin bearer token. Test-only; never log it. */
  readonly token: string;
  /** `http://127.0.0.1:PORT` of etcd. */
  readonly etcdUrl: string;
  readonly binaries: ClusterBinaries;
  /** Folder with logs and data; removed by stop(). */
  readonly dir: string;
  /** Stops kube-apiserver and starts it again on the same port and etcd; resolves when it is ready. */
  restartApiServer(): Promise<void>;
  /** Compacts etcd at its current revision so that older resourceVersions expire; returns that revision. */
  compact(): Promise<number>;
  /** Ends every process it started and removes its temporary folders. */
  stop(): Promise<void>;
}

interface HttpAnswer {
  status: number;
  body: string;
}

function get(url: string, token: string, caPem: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      { ca: caPem, headers: { authorization: `Bearer ${token}` }, timeout: 5000 },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => {
          body += d.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`timeout: GET ${url}`)));
    req.end();
  });
}

function etcdPost(etcdUrl: string, path: string, payload: unknown): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${etcdUrl}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => {
          body += d.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(payload));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(
  what: string,
  timeoutMs: number,
  probe: () => Promise<boolean>,
  logPath: string,
  proc?: ManagedProcess,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (proc && proc.child.exitCode !== null) break;
    try {
      if (await probe()) return;
    } catch (e) {
      lastError = (e as Error).message;
    }
    await sleep(250);
  }
  let tail = '';
  try {
    tail = readFileSync(logPath, 'utf8').split('\n').slice(-25).join('\n');
  } catch {
    // no log yet
  }
  throw new Error(
    `the test cluster did not become ready: ${what} (${lastError || 'timed out'}). Last log lines of ${logPath}:\n${tail}`,
  );
}

/**
 * Starts a real kube-apiserver backed by etcd on 127.0.0.1, built from Go modules on first use
 * (the way envtest runs them for Go controllers), and writes a kubeconfig for it.
 */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const progress = options.onProgress ?? ((line: string) => process.stderr.write(`${line}\n`));
  const binaries = await ensureClusterBinaries(progress);
  const dir = mkdtempSync(join(tmpdir(), 'kates-cluster-'));
  const pki = generatePki(dir);
  const token = randomBytes(24).toString('hex');
  const nobodyToken = randomBytes(24).toString('hex');
  writeFileSync(
    join(dir, 'tokens.csv'),
    `${token},kates-admin,kates-admin,"system:masters"\n${nobodyToken},kates-nobody,kates-nobody\n`,
    { mode: 0o600 },
  );
  const timeout = options.readyTimeoutMs ?? 120_000;

  // etcd on two fresh ports; on fresh ones again when one was taken between the pick and the bind.
  const { etcd, etcdUrl } = await onFreshPorts(
    'etcd',
    async (attempt) => {
      const [etcdPort, peerPort] = [await freePort(), await freePort()];
      const etcdUrl = `http://127.0.0.1:${etcdPort}`;
      const dataDir = join(dir, `etcd${attempt ? `-${attempt}` : ''}`);
      mkdirSync(dataDir);
      const etcd = startProcess(
        'etcd',
        binaries.etcd,
        [
          '--name=kates',
          `--data-dir=${dataDir}`,
          `--listen-client-urls=${etcdUrl}`,
          `--advertise-client-urls=${etcdUrl}`,
          `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
          `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
          `--initial-cluster=kates=http://127.0.0.1:${peerPort}`,
          '--unsafe-no-fsync',
          '--log-level=warn',
        ],
        join(dir, `etcd${attempt ? `-${attempt}` : ''}.log`),
        dir,
      );
      try {
        await waitFor(
          'etcd /health',
          timeout,
          async () => {
            const res = await new Promise<HttpAnswer>((resolve, reject) => {
              httpRequest(`${etcdUrl}/health`, (r) => {
                let body = '';
                r.on('data', (d: Buffer) => {
                  body += d.toString();
                });
                r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
              })
                .on('error', reject)
                .end();
            });
            return res.status === 200;
          },
          etcd.logPath,
          etcd,
        );
      } catch (e) {
        await etcd.stop('SIGKILL');
        throw e;
      }
      return { etcd, etcdUrl };
    },
    progress,
  ).catch((e) => {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  });

  const apiArgs = (apiPort: number) => [
    `--etcd-servers=${etcdUrl}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${apiPort}`,
    `--cert-dir=${join(dir, 'apiserver-certs')}`,
    `--tls-cert-file=${pki.servingCert}`,
    `--tls-private-key-file=${pki.servingKey}`,
    `--client-ca-file=${pki.caCert}`,
    `--token-auth-file=${join(dir, 'tokens.csv')}`,
    '--authorization-mode=RBAC',
    '--service-cluster-ip-range=10.0.0.0/24',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${pki.serviceAccountPub}`,
    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
    '--endpoint-reconciler-type=none',
    '--disable-admission-plugins=ServiceAccount',
    '--allow-privileged=true',
    `--watch-cache=${options.watchCache ?? true}`,
    // On SIGTERM, end open watches and wait at most 2 s for them, as a server behind a load
    // balancer is set up to: without it, open watches held a restart for the whole 10 s grace
    // (then SIGKILL); with it a restart with watches takes 3 s, like one without.
    '--shutdown-watch-termination-grace-period=2s',
    '--v=1',
  ];
  let apiserver: ManagedProcess;
  /** Starts kube-apiserver on `apiPort`, logging to `apiLog`; resolves when it serves. */
  const startApiServer = async (apiPort: number, apiLog: string) => {
    const server = `https://127.0.0.1:${apiPort}`;
    apiserver = startProcess('kube-apiserver', binaries.kubeApiserver, apiArgs(apiPort), apiLog, dir);
    try {
      await waitFor(
        'kube-apiserver /readyz',
        timeout,
        async () => (await get(`${server}/readyz`, token, pki.caPem)).status === 200,
        apiLog,
        apiserver,
      );
      await waitFor(
        'namespace default',
        timeout,
        async () => (await get(`${server}/api/v1/namespaces/default`, token, pki.caPem)).status === 200,
        apiLog,
        apiserver,
      );
    } catch (e) {
      await apiserver.stop('SIGKILL');
      throw e;
    }
  };
  let apiPort = 0;
  let apiLog = '';
  try {
    await onFreshPorts(
      'kube-apiserver',
      async (attempt) => {
        apiPort = await freePort();
        apiLog = join(dir, `kube-apiserver${attempt ? `-${attempt}` : ''}.log`);
        await startApiServer(apiPort, apiLog);
      },
      progress,
    );
  } catch (e) {
    await etcd.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const server = `https://127.0.0.1:${apiPort}`;

  const kubeconfigPath = join(dir, 'kubeconfig');
  const nobodyKubeconfigPath = join(dir, 'kubeconfig-nobody');
  writeKubeconfig(kubeconfigPath, server, pki.caPem, [
    { name: 'admin', token },
    { name: 'nobody', token: nobodyToken },
  ]);
  writeKubeconfig(nobodyKubeconfigPath, server, pki.caPem, [{ name: 'nobody', token: nobodyToken }]);

  let controllerManager: ManagedProcess | undefined;
  if (options.controllers) {
    const kcmPort = await freePort();
    controllerManager = startProcess(
      'kube-controller-manager',
      binaries.kubeControllerManager,
      [
        `--kubeconfig=${kubeconfigPath}`,
        '--leader-elect=false',
        '--bind-address=127.0.0.1',
        `--secure-port=${kcmPort}`,
        `--controllers=${(options.controllers === true ? DEFAULT_CONTROLLERS : options.controllers).join(',')}`,
        '--use-service-account-credentials=false',
        `--cert-dir=${join(dir, 'kcm-certs')}`,
        '--v=1',
      ],
      join(dir, 'kube-controller-manager.log'),
      dir,
    );
  }

  let stopped = false;
  return {
    kubeconfigPath,
    nobodyKubeconfigPath,
    server,
    caPem: pki.caPem,
    token,
    etcdUrl,
    binaries,
    dir,
    async restartApiServer() {
      await apiserver.stop('SIGTERM', 10_000);
      await startApiServer(apiPort, apiLog);
    },
    async compact() {
      const range = await etcdPost(etcdUrl, '/v3/kv/range', { key: Buffer.from('/').toString('base64') });
      const revision = Number(JSON.parse(range.body).header.revision);
      const res = await etcdPost(etcdUrl, '/v3/kv/compaction', { revision, physical: true });
      if (res.status !== 200)
        throw new Error(`etcd compaction at revision ${revision} failed: ${res.status} ${res.body}`);
      return revision;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await controllerManager?.stop();
      await apiserver.stop('SIGTERM', 10_000);
      await etcd.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
