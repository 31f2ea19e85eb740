import { pathToFileURL } from 'node:url';
import type { KubeProxyStats } from '@kates/proxy';

/** `startDashboard` of examples/dashboard/server.ts, loaded from its build (bench does not compile it). */
export type StartDashboard = (options: {
  kubeconfig: string;
  port: number;
  staticDir: string;
  warm?: boolean;
}) => Promise<{
  url: string;
  proxy: { stats(): KubeProxyStats; waitForCacheSync(signal?: AbortSignal): Promise<boolean> };
  close(): Promise<void>;
}>;

/** Loads `startDashboard` from the dashboard server's built module at `path`. */
export async function loadStartDashboard(path: string): Promise<StartDashboard> {
  const module = (await import(pathToFileURL(path).href)) as { startDashboard: StartDashboard };
  return module.startDashboard;
}
