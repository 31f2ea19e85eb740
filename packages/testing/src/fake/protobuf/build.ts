import { execFile } from 'node:child_process';
import { GoMissingError } from '../../cluster/binaries.js';
import { protobufModuleDir } from './transcoder.js';

/**
 * Builds (once per machine, cached like kubectl and the cluster binaries) and locates
 * `kates-protobuf`, the fake API server's protobuf codec and the client-go test program, from
 * cluster/protobuf/build.sh. Rejects with {@link GoMissingError} where Go is not installed.
 * The vitest global setup calls it, so a fake started by a test finds the codec built.
 */
export function ensureProtobufTranscoder(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [`${protobufModuleDir}build.sh`],
      { maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) {
          resolve(stdout.trim().split('\n').pop() ?? '');
          return;
        }
        if ((error as { code?: number }).code === 3)
          reject(
            new GoMissingError(
              'Go is not installed: the protobuf codec is built from Go modules. Install Go 1.26+.',
            ),
          );
        else reject(new Error(`building kates-protobuf failed: ${stderr.slice(-2000)}`));
      },
    );
  });
}
