import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeOutput } from './normalize.js';
import { type KubectlAnswer, type KubectlTarget, runKubectl } from './run.js';
import { type KubectlStep, SESSION } from './session.js';

/** A server the session runs on. */
export interface SessionServer {
  readonly kubeconfigPath: string;
  /** The `server:` of its kubeconfig (normalized away in answers). */
  readonly url: string;
}

/** One step's answers on both servers, normalized, and whether they are the same. */
export interface StepComparison {
  readonly step: KubectlStep;
  readonly fake: KubectlAnswer;
  readonly real: KubectlAnswer;
  readonly same: boolean;
}

/** The namespace the session works in, created on both servers first. */
export const SESSION_NAMESPACE = 'kubectl-session';

function normalized(answer: KubectlAnswer, url: string): KubectlAnswer {
  return {
    code: answer.code,
    stdout: normalizeOutput(answer.stdout, url),
    stderr: normalizeOutput(answer.stderr, url),
  };
}

/**
 * Runs the kubectl session on the fake and the real API server, step by step on both at once,
 * and compares exit code, stdout and stderr after normalization. Each server gets its own HOME and
 * discovery cache, as two users on two machines would.
 */
export async function compareSession(
  kubectl: string,
  fake: SessionServer,
  real: SessionServer,
  steps: readonly KubectlStep[] = SESSION,
  onStep: (c: StepComparison, index: number) => void = () => {},
): Promise<StepComparison[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kates-kubectl-'));
  const target = (name: string, server: SessionServer): KubectlTarget => ({
    kubectl,
    kubeconfigPath: server.kubeconfigPath,
    cacheDir: join(dir, name, 'cache'),
    home: join(dir, name),
    namespace: SESSION_NAMESPACE,
  });
  const targets = { fake: target('fake', fake), real: target('real', real) };
  try {
    // apply rather than `create namespace`, without validation: what every server here reads.
    const setup = {
      command: 'apply --validate=false -f -',
      stdin: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: SESSION_NAMESPACE } }),
    };
    for (const [name, t] of Object.entries(targets)) {
      const answer = await runKubectl(setup, t);
      if (answer.code !== 0)
        throw new Error(
          `kubectl session: cannot create its namespace on the ${name} server: ${answer.stderr}`,
        );
    }
    const results: StepComparison[] = [];
    for (const [i, step] of steps.entries()) {
      const [f, r] = await Promise.all([runKubectl(step, targets.fake), runKubectl(step, targets.real)]);
      const a = normalized(f, fake.url);
      const b = normalized(r, real.url);
      const comparison = {
        step,
        fake: a,
        real: b,
        same: a.code === b.code && a.stdout === b.stdout && a.stderr === b.stderr,
      };
      results.push(comparison);
      onStep(comparison, i);
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
