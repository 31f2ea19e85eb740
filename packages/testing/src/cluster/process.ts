import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/** A child process of the test cluster, with its output kept in a log file for post-mortems. */
export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logPath: string;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

const live = new Set<ManagedProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A test process that exits without calling stop() must not leave servers behind.
  process.on('exit', () => {
    for (const p of live) {
      try {
        if (p.child.pid) process.kill(-p.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

/**
 * Starts `command` in a process group of its own, logging to `logPath`. A watchdog shell ends the
 * group if this Node process dies without cleaning up (SIGKILL, crash), and removes `cleanupDir`.
 */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  logPath: string,
  cleanupDir?: string,
): ManagedProcess {
  installExitHook();
  const log = createWriteStream(logPath, { flags: 'a' });
  const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.on('error', () => resolve(-1));
  });
  if (child.pid) {
    const rm = cleanupDir ? `; rm -rf '${cleanupDir}'` : '';
    const watchdog = spawn(
      'sh',
      [
        '-c',
        `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${child.pid} 2>/dev/null; do sleep 1; done; ` +
          // Only an orphaned group is cleaned up: a child that exits on purpose (a restart) keeps the folder.
          `if ! kill -0 ${process.pid} 2>/dev/null; then kill -KILL -- -${child.pid} 2>/dev/null${rm}; fi`,
      ],
      { detached: true, stdio: 'ignore' },
    );
    watchdog.unref();
  }
  const managed: ManagedProcess = {
    name,
    child,
    logPath,
    exited,
    async stop(signal = 'SIGTERM', graceMs = 5000) {
      live.delete(managed);
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }, graceMs);
      await exited;
      clearTimeout(timer);
      log.end();
    },
  };
  live.add(managed);
  exited.then(() => live.delete(managed));
  return managed;
}
