import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ProxyHostConfig, ProxyHostMessage, ProxyHostReply, ProxyStats } from './proxy-host.js';

const HOST = fileURLToPath(new URL('./proxy-host.js', import.meta.url));

/** The proxy in its own process (see proxy-host.ts). */
export interface ProxyProcess {
  readonly url: string;
  stats(): Promise<ProxyStats>;
  stop(): Promise<void>;
}

/** Starts the proxy in a child process, with `--expose-gc` so that its heap is read after a full GC. */
export async function startProxyProcess(config: ProxyHostConfig): Promise<ProxyProcess> {
  const child = fork(HOST, [JSON.stringify(config)], {
    execArgv: ['--expose-gc', '--max-old-space-size=8192'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T extends ProxyHostReply['type']>(type: T) =>
    new Promise<Extract<ProxyHostReply, { type: T }>>((resolve, reject) => {
      const onMessage = (m: ProxyHostReply) => {
        if (m.type === 'error') reject(new Error(`proxy: ${m.message}`));
        else if (m.type === type) resolve(m as Extract<ProxyHostReply, { type: T }>);
        else return;
        cleanup();
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`the proxy process exited (code ${code}) before answering "${type}"`));
      };
      const cleanup = () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
  const send = (m: ProxyHostMessage) => child.send(m);
  const ready = await next('ready');
  return {
    url: ready.url,
    async stats() {
      const answer = next('stats');
      send({ op: 'stats' });
      return (await answer).stats;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      send({ op: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
