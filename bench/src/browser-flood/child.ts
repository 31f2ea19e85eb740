import { type ChildProcess, fork } from 'node:child_process';

/** A child process that answers messages over IPC, each reply typed by `type`. */
export interface Child<M, R extends { type: string }> {
  /** Sends `message` and waits for the reply of type `type` (an `error` reply rejects). */
  ask<T extends R['type']>(message: M, type: T): Promise<Extract<R, { type: T }>>;
  /** Waits for a reply of type `type` without asking. */
  next<T extends R['type']>(type: T): Promise<Extract<R, { type: T }>>;
  /** Sends `stop` and waits for the process to exit (killed after 10 s). */
  stop(message: M): Promise<void>;
  readonly process: ChildProcess;
}

export function forkChild<M, R extends { type: string }>(
  script: string,
  arg: unknown,
  execArgv: string[],
): Child<M, R> {
  const child = fork(script, [JSON.stringify(arg)], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const next = <T extends R['type']>(type: T) =>
    new Promise<Extract<R, { type: T }>>((resolve, reject) => {
      const onMessage = (m: R) => {
        if (m.type === 'error')
          reject(new Error(`${script}: ${(m as unknown as { message: string }).message}`));
        else if (m.type === type) resolve(m as Extract<R, { type: T }>);
        else return;
        cleanup();
      };
      const onExit = (code: number | null, signal: string | null) => {
        cleanup();
        reject(new Error(`${script} exited (code ${code}, signal ${signal}) before answering "${type}"`));
      };
      const cleanup = () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
  return {
    process: child,
    next,
    ask(message, type) {
      const answer = next(type);
      child.send(message as object);
      return answer;
    },
    async stop(message) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send(message as object);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
