import { execFile } from 'node:child_process';
import { clusterModuleDir, GoMissingError } from '../cluster/binaries.js';

/**
 * Builds (once per machine, cached like the cluster binaries) and locates kubectl of the test
 * cluster's release, from cluster/build-kubectl.sh. Rejects with {@link GoMissingError} where Go
 * is not installed.
 */
export function ensureKubectl(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [`${clusterModuleDir}build-kubectl.sh`],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) {
          resolve(stdout.trim().split('\n').pop() ?? '');
          return;
        }
        if ((error as { code?: number }).code === 3)
          reject(
            new GoMissingError('Go is not installed: kubectl is built from Go modules. Install Go 1.26+.'),
          );
        else reject(new Error(`building kubectl failed: ${stderr.slice(-2000)}`));
      },
    );
  });
}
