import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BUILD = fileURLToPath(new URL('../../go-kates/build.sh', import.meta.url));

/** The Go kates peer: its binary, or exactly why it could not be built. */
export type GoKates = { readonly binary: string; readonly release: string } | { readonly error: string };

/**
 * Builds (or finds in the cache) the Go kates peer from the Go module proxy. Never throws: a
 * failed build is a result, reported word for word in RESULTS.md.
 */
export function ensureGoKates(onProgress: (line: string) => void): Promise<GoKates> {
  return new Promise((resolve) => {
    const child = spawn('bash', [BUILD], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      const text = d.toString();
      err += text;
      for (const line of text.split('\n')) if (line.trim()) onProgress(line);
    });
    child.on('error', (e) => resolve({ error: `could not run ${BUILD}: ${e.message}` }));
    child.on('exit', (code) => {
      const binary = out.trim().split('\n').pop() ?? '';
      const release = /go-kates-(v[\d.]+)-/.exec(binary)?.[1] ?? '';
      if (code === 0 && binary) resolve({ binary, release });
      else resolve({ error: `${BUILD} exited with code ${code}:\n${err.trim()}` });
    });
  });
}
