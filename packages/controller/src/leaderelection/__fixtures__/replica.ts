import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { FaultProxy } from '@kates/testing';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** A line an elector process reported (see elector-process.ts), with the process that sent it. */
export type ReplicaEvent = { readonly event: string; readonly pid: number } & Record<string, unknown>;

/** What a replica needs to know to campaign. */
export interface ReplicaConfig {
  readonly identity: string;
  readonly kubeconfigPath: string;
  readonly namespace: string;
  readonly lease: string;
  readonly ledger: string;
  readonly timing: {
    readonly leaseDurationMs: number;
    readonly renewDeadlineMs: number;
    readonly retryPeriodMs: number;
  };
}

/**
 * A candidate running as a process of its own behind a fault proxy of its own, so that its
 * network can be cut, stalled or slowed alone, and the process paused or killed. Restarting it
 * keeps its identity, as a pod of a StatefulSet would.
 */
/** How long a replica may take to load its TypeScript sources and start campaigning. */
const START_TIMEOUT_MS = 60_000;

export class Replica {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  constructor(
    readonly config: ReplicaConfig,
    readonly proxy: FaultProxy,
    private readonly onEvent: (replica: Replica, event: ReplicaEvent) => void,
  ) {}

  get identity(): string {
    return this.config.identity;
  }
  get pid(): number | undefined {
    return this.child?.pid;
  }
  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process; resolves when it has loaded and begun campaigning. */
  start(): Promise<void> {
    const { config } = this;
    const child = spawn(
      process.execPath,
      [
        '--experimental-transform-types',
        '--no-warnings',
        '--import',
        here('ts-sources.mjs'),
        here('elector-process.ts'),
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          IDENTITY: config.identity,
          KUBECONFIG_PATH: config.kubeconfigPath,
          NAMESPACE: config.namespace,
          LEASE: config.lease,
          LEDGER: config.ledger,
          LEASE_DURATION_MS: String(config.timing.leaseDurationMs),
          RENEW_DEADLINE_MS: String(config.timing.renewDeadlineMs),
          RETRY_PERIOD_MS: String(config.timing.retryPeriodMs),
        },
      },
    );
    this.child = child;
    const pid = child.pid ?? -1;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    // Said as an event, so that a failure's report shows a replica that died, and why.
    child.once('exit', (code, signal) => {
      this.onEvent(this, {
        event: 'process-exit',
        pid,
        at: performance.timeOrigin + performance.now(),
        code,
        signal,
        stderr: stderr.slice(-1500),
      });
    });
    return new Promise((resolve, reject) => {
      // A child that neither gets ready nor exits would hang the test until its own timeout,
      // saying nothing: fail here, with what the child wrote to stderr.
      const notReady = setTimeout(() => {
        reject(new Error(`replica ${config.identity} not ready within ${START_TIMEOUT_MS} ms: ${stderr}`));
      }, START_TIMEOUT_MS);
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        let event: ReplicaEvent;
        try {
          event = { ...(JSON.parse(line) as Record<string, unknown>), pid } as ReplicaEvent;
        } catch {
          return;
        }
        if (event.event === 'ready') {
          clearTimeout(notReady);
          resolve();
        }
        this.onEvent(this, event);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(notReady);
        reject(
          new Error(`replica ${config.identity} exited before it was ready (${code ?? signal}): ${stderr}`),
        );
      });
    });
  }

  /** Sends a signal: SIGKILL (crash), SIGSTOP/SIGCONT (pause), SIGTERM (graceful stop). */
  signal(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  /** Resolves when the process has exited. */
  whenExited(): Promise<void> {
    return this.exited;
  }
}
