import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Installs the standalone Redux DevTools server outside the repository (see the script). */
const SCRIPT = fileURLToPath(new URL('../../../core/src/timetravel/devtools-server.sh', import.meta.url));

/**
 * Vitest global setup of the `integration` project: installs the Redux DevTools server that
 * devtools.e2e.test.ts talks to, once per machine (an `npm install` of about 650 packages into
 * ~/.cache/kates), before the test files start, so no test hook waits on it and `npm test` alone
 * prepares everything. A second run only checks that it is there.
 */
export async function setup(): Promise<void> {
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('bash', [SCRIPT], { stdio: ['ignore', 'ignore', 'pipe'] });
    let tail = '';
    child.stderr.on('data', (d: Buffer) => {
      tail = (tail + d.toString()).slice(-4000);
      process.stderr.write(`[devtools] ${d.toString()}`);
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(
            new Error(`installing the Redux DevTools server (${SCRIPT}) failed (exit ${code}):\n${tail}`),
          ),
    );
  });
  const ms = Date.now() - started;
  if (ms > 2000)
    process.stderr.write(`[devtools] Redux DevTools server installed in ${Math.round(ms / 1000)} s\n`);
}
