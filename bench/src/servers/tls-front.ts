import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TERMINATOR = fileURLToPath(new URL('./tls-terminator.js', import.meta.url));

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * Puts a TLS terminator in front of a plain-http API server and writes a kubeconfig for it (the
 * same users, trusting a CA made for this run). Returns the new kubeconfig and a stop function.
 */
export async function startTlsFront(
  kubeconfigPath: string,
): Promise<{ kubeconfigPath: string; stop(): Promise<void> }> {
  const source = readFileSync(kubeconfigPath, 'utf8');
  const match = /server: http:\/\/127\.0\.0\.1:(\d+)/.exec(source);
  if (!match)
    throw new Error(`kubeconfig ${kubeconfigPath} names no http://127.0.0.1 server to put TLS in front of`);
  const dir = mkdtempSync(join(tmpdir(), 'kates-bench-tls-'));
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=kates-bench-ca',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
    ],
    dir,
  );
  writeFileSync(
    join(dir, 'serving.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  openssl(
    [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=kates-bench',
      '-keyout',
      'serving.key',
      '-out',
      'serving.csr',
    ],
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'serving.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      'serving.ext',
      '-out',
      'serving.crt',
    ],
    dir,
  );
  const child = fork(TERMINATOR, [match[1]!, dir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`the TLS front exited (code ${code}) before listening`)));
  });
  const ca = Buffer.from(readFileSync(join(dir, 'ca.crt'))).toString('base64');
  const out = join(dir, 'kubeconfig');
  writeFileSync(
    out,
    source
      .replace(match[0], `server: https://127.0.0.1:${port}`)
      .replace(/insecure-skip-tls-verify: true/, `certificate-authority-data: ${ca}`),
    { mode: 0o600 },
  );
  return {
    kubeconfigPath: out,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
