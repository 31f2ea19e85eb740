import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Where the Go module that builds the real API server lives. */
export const clusterModuleDir = fileURLToPath(new URL('../../cluster/', import.meta.url));

/** Directory holding `kube-apiserver`, `etcd` and `kube-controller-manager`. */
export interface ClusterBinaries {
  readonly dir: string;
  readonly kubeApiserver: string;
  readonly etcd: string;
  readonly kubeControllerManager: string;
}

/**
 * Builds (once per machine, cached by go.sum) and locates the real API server binaries.
 * Progress lines of the Go build are forwarded to `onProgress` (stderr by default).
 */
export async function ensureClusterBinaries(
  onProgress: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<ClusterBinaries> {
  const dir = await new Promise<string>((resolve, reject) => {
    const child = spawn('bash', [`${clusterModuleDir}build.sh`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let tail = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      const text = d.toString();
      tail = (tail + text).slice(-4000);
      for (const line of text.split('\n')) if (line.trim()) onProgress(line);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(out.trim().split('\n').pop() ?? '');
      else if (code === 3)
        reject(
          new GoMissingError(
            'Go is not installed: the real kube-apiserver is built from Go modules. Install Go 1.26+ to run these tests.',
          ),
        );
      else reject(new Error(`building the API server failed (exit ${code}):\n${tail}`));
    });
  });
  return {
    dir,
    kubeApiserver: `${dir}/kube-apiserver`,
    etcd: `${dir}/etcd`,
    kubeControllerManager: `${dir}/kube-controller-manager`,
  };
}

/** Raised where Go is not installed, so the real API server cannot be built. */
export class GoMissingError extends Error {
  override readonly name = 'GoMissingError';
}
