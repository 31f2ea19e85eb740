import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkerTask } from '../worker.js';

const WORKER = fileURLToPath(new URL('../worker.js', import.meta.url));

/**
 * The `NODE_ENV` a micro-benchmark runs under. Redux, Redux Toolkit and kates check it: in
 * development Redux checks every action and the state's shape on each dispatch (about 1.5 us of a
 * kates event) and kates deep-freezes what it stores. Every store is measured as it runs in
 * production, except the one row that shows the development default.
 */
export type NodeEnv = 'production' | 'development';

/** Runs one micro-benchmark task in a fresh `node --expose-gc` process and returns its result. */
export function inFreshProcess<R>(
  task: WorkerTask,
  config: unknown,
  timeoutMs: number,
  nodeEnv: NodeEnv = 'production',
): Promise<R> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--max-old-space-size=16384', WORKER, task, JSON.stringify(config)],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: nodeEnv } },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-2000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      let parsed: { error?: string } | undefined;
      try {
        parsed = JSON.parse(last);
      } catch {
        parsed = undefined;
      }
      if (signal === 'SIGKILL') reject(new Error(`${task} did not finish within ${timeoutMs} ms`));
      else if (!parsed)
        reject(new Error(`${task} exited (code ${code}) without a result${err ? `: ${err.trim()}` : ''}`));
      else if (parsed.error) reject(new Error(`${task}: ${parsed.error}`));
      else resolve(parsed as R);
    });
  });
}
