import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Copies a kubeconfig, pointing its clusters at `127.0.0.1:port` (a proxy in front of the same
 * server). The serving certificate names 127.0.0.1, so TLS still verifies through the proxy.
 */
export function kubeconfigVia(kubeconfigPath: string, port: number, outPath: string): string {
  const text = readFileSync(kubeconfigPath, 'utf8').replace(/server: https?:\/\/127\.0\.0\.1:\d+/g, (m) =>
    m.replace(/:\d+$/, `:${port}`),
  );
  writeFileSync(outPath, text, { mode: 0o600 });
  return outPath;
}
