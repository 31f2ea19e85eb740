import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { type BenchKind, generate } from '../objects.js';
import { runBuildScript } from '../peers/build-script.js';

const BUILD = fileURLToPath(new URL('../../etcd-seed/build.sh', import.meta.url));

/** Builds (or finds in the cache) bench/etcd-seed; rejects with the build's own error lines. */
export async function ensureEtcdSeed(onProgress: (line: string) => void): Promise<string> {
  const built = await runBuildScript(BUILD, onProgress);
  if ('error' in built) throw new Error(built.error);
  return built.binary;
}

/** What one run of etcd-seed wrote. */
export interface SeedReport {
  readonly objects: number;
  readonly ms: number;
  /** The highest etcd revision written: the API server's cache holds them all once it reaches it. */
  readonly revision: number;
}

/**
 * Writes objects 0..n-1 of `kind` (as `generate` makes them) into the API server's etcd, through
 * bench/etcd-seed: uid and creationTimestamp set, resourceVersion left to etcd, protobuf in the
 * `k8s\0` envelope under /registry/<resource>/<namespace>/<name>. The namespace must exist.
 */
export async function seedEtcd(
  binary: string,
  etcdUrl: string,
  kind: BenchKind,
  namespace: string,
  n: number,
): Promise<SeedReport> {
  const child = spawn(
    binary,
    [`-endpoint=${etcdUrl}`, `-resource=${kind === 'Pod' ? 'pods' : 'configmaps'}`, '-concurrency=64'],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
  });
  const exited = once(child, 'exit') as Promise<[number | null]>;
  // A seeder that dies mid-input says why on stderr; the broken pipe itself is no news.
  child.stdin.on('error', () => undefined);
  // Written in chunks of lines, waiting for the pipe to drain: 100k Pods are 500 MB of JSON.
  let chunk: string[] = [];
  const flush = async () => {
    if (!child.stdin.write(chunk.join(''))) await Promise.race([once(child.stdin, 'drain'), exited]);
    if (child.exitCode !== null) throw new Error('exited');
    chunk = [];
  };
  try {
    for (let i = 0; i < n; i++) {
      chunk.push(`${JSON.stringify(generate(kind, i, namespace))}\n`);
      if (chunk.length === 500) await flush();
    }
    await flush();
  } catch (e) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`etcd-seed stopped reading its input: ${err.trim() || String(e)}`);
  }
  child.stdin.end();
  const [code] = await exited;
  if (code !== 0) throw new Error(`etcd-seed exited with code ${code}: ${err.trim()}`);
  const report = JSON.parse(out.trim().split('\n').pop() ?? '{}') as SeedReport;
  if (report.objects !== n) throw new Error(`etcd-seed wrote ${report.objects} objects, expected ${n}`);
  return report;
}
