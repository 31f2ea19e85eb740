import { spawn } from 'node:child_process';
import type { KubectlStep } from './session.js';

/** What one kubectl command answered. */
export interface KubectlAnswer {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Where kubectl runs: its binary, a kubeconfig, a discovery cache and a HOME of its own. */
export interface KubectlTarget {
  readonly kubectl: string;
  readonly kubeconfigPath: string;
  readonly cacheDir: string;
  readonly home: string;
  readonly namespace: string;
}

/** Splits a command line into words: whitespace separates, single or double quotes group. */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  let started = false;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      started = true;
    } else if (/\s/.test(ch)) {
      if (started || word) words.push(word);
      word = '';
      started = false;
    } else word += ch;
  }
  if (quote) throw new Error(`unclosed ${quote} in kubectl command: ${line}`);
  if (started || word) words.push(word);
  return words;
}

/** Runs one step with kubectl against `target`, `$NS` standing for the session's namespace. */
export function runKubectl(step: KubectlStep, target: KubectlTarget): Promise<KubectlAnswer> {
  const words = splitCommand(step.command.replaceAll('$NS', target.namespace));
  // Global flags before `--`: what follows it is the container's command (create job ... -- echo).
  const dash = words.indexOf('--');
  const flags = [
    `--kubeconfig=${target.kubeconfigPath}`,
    `--cache-dir=${target.cacheDir}`,
    `--namespace=${target.namespace}`,
    `--request-timeout=${step.timeoutSeconds ?? 20}s`,
  ];
  const args = dash < 0 ? [...words, ...flags] : [...words.slice(0, dash), ...flags, ...words.slice(dash)];
  return new Promise((resolve, reject) => {
    const child = spawn(target.kubectl, args, {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: target.home, TZ: 'UTC', LANG: 'C' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), ((step.timeoutSeconds ?? 20) + 10) * 1000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(step.stdin ?? '');
  });
}
