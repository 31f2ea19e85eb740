import { spawn } from 'node:child_process';

/** What a build script of the bench gave: the binary it printed last, or exactly why it failed. */
export type BuildResult = { readonly binary: string } | { readonly error: string };

/**
 * Runs one of the bench's cached Go builds (`bench/<program>/build.sh`): its stderr lines go to
 * `onProgress`, the last line of its stdout is the binary. Never throws: a failed build is a
 * result, with the script's own error lines.
 */
export function runBuildScript(script: string, onProgress: (line: string) => void): Promise<BuildResult> {
  return new Promise((resolve) => {
    const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'pipe'] });
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
    child.on('error', (e) => resolve({ error: `could not run ${script}: ${e.message}` }));
    child.on('exit', (code) => {
      const binary = out.trim().split('\n').pop() ?? '';
      if (code === 0 && binary) resolve({ binary });
      else resolve({ error: `${script} exited with code ${code}:\n${err.trim()}` });
    });
  });
}
