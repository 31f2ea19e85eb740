import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ConsumerConfig, ConsumerLine } from '../consumers/protocol.js';

const CONSUMER_MAIN = fileURLToPath(new URL('../consumers/main.js', import.meta.url));

/** A running consumer, read line by line (in its own process, or in this one for tests). */
export interface Consumer {
  /** The next line of type `type`; rejects on an `error` line, an end, or after `timeoutMs`. */
  next<T extends ConsumerLine['type']>(
    type: T,
    timeoutMs: number,
  ): Promise<Extract<ConsumerLine, { type: T }>>;
  /** A line of type `type` already received, without waiting. */
  take<T extends ConsumerLine['type']>(type: T): Extract<ConsumerLine, { type: T }> | undefined;
  /** Ends it (if still running) and waits for it. */
  stop(): Promise<void>;
}

/** The lines a consumer printed, waited for by type. */
export class ConsumerLines {
  private readonly lines: ConsumerLine[] = [];
  private waiting: (() => void) | undefined;
  private ended: string | undefined;

  constructor(
    private readonly peer: string,
    private readonly diagnostics: () => string = () => '',
  ) {}

  push(line: ConsumerLine): void {
    this.lines.push(line);
    this.waiting?.();
  }

  /** No more lines will come; `why` says why. */
  end(why: string): void {
    this.ended = why;
    this.waiting?.();
  }

  async next<T extends ConsumerLine['type']>(
    type: T,
    timeoutMs: number,
  ): Promise<Extract<ConsumerLine, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.lines.findIndex((l) => l.type === type || l.type === 'error');
      if (i >= 0) {
        const [line] = this.lines.splice(i, 1);
        if (line!.type === 'error') throw new Error(`${this.peer}: ${line!.message}`);
        return line as Extract<ConsumerLine, { type: T }>;
      }
      if (this.ended !== undefined)
        throw new Error(`${this.peer} ${this.ended} before "${type}"${this.diagnostics()}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`${this.peer}: no "${type}" within ${timeoutMs} ms${this.diagnostics()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiting = undefined;
    }
  }

  take<T extends ConsumerLine['type']>(type: T): Extract<ConsumerLine, { type: T }> | undefined {
    const i = this.lines.findIndex((l) => l.type === type);
    return i >= 0 ? (this.lines.splice(i, 1)[0] as Extract<ConsumerLine, { type: T }>) : undefined;
  }
}

/**
 * A consumer running in its own process (a Node consumer, or the Go kates binary), read line by
 * line. Output that is not JSON is kept as diagnostics for the error message.
 */
export class ConsumerProcess implements Consumer {
  private readonly stderr: string[] = [];
  private readonly lines: ConsumerLines;
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly peer: string,
  ) {
    this.lines = new ConsumerLines(peer, () =>
      this.stderr.length ? `; last output:\n${this.stderr.slice(-12).join('\n')}` : '',
    );
    createInterface({ input: child.stdout! }).on('line', (text) => {
      try {
        this.lines.push(JSON.parse(text) as ConsumerLine);
      } catch {
        this.stderr.push(text);
      }
    });
    createInterface({ input: child.stderr! }).on('line', (text) => {
      this.stderr.push(text);
      if (this.stderr.length > 40) this.stderr.shift();
    });
    child.on('exit', (code) => {
      this.exited = true;
      this.lines.end(`exited (code ${code})`);
    });
  }

  /** Starts a Node consumer for `config`. */
  static node(config: ConsumerConfig): ConsumerProcess {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--max-old-space-size=16384', CONSUMER_MAIN, JSON.stringify(config)],
      // As a deployed controller runs: Redux's development checks off, and kates does not
      // deep-freeze what it takes in (it does outside production, to catch mutations). Before,
      // NODE_ENV was unset here, so kates froze every object in every bootstrap and event.
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production' } },
    );
    return new ConsumerProcess(child, config.peer);
  }

  /** Starts the Go kates binary for `config`. */
  static go(binary: string, config: ConsumerConfig): ConsumerProcess {
    const child = spawn(
      binary,
      [
        `-kubeconfig=${config.kubeconfig}`,
        `-namespace=${config.namespace}`,
        `-kind=${config.kind}`,
        `-expect=${config.expect}`,
        `-phases=${config.phases.join(',')}`,
        `-done-name=${config.doneName}`,
        `-interval-ms=${config.intervalMs}`,
        `-reconcile-ms=${config.reconcileMs}`,
        `-timeout=${config.timeoutMs}ms`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return new ConsumerProcess(child, 'go-kates');
  }

  next<T extends ConsumerLine['type']>(
    type: T,
    timeoutMs: number,
  ): Promise<Extract<ConsumerLine, { type: T }>> {
    return this.lines.next(type, timeoutMs);
  }

  take<T extends ConsumerLine['type']>(type: T): Extract<ConsumerLine, { type: T }> | undefined {
    return this.lines.take(type);
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await done;
    clearTimeout(timer);
  }
}
