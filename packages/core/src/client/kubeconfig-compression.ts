import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse } from 'yaml';

/**
 * The kubeconfig files `KubeConfig.loadFromDefault()` reads, in its order: those of `$KUBECONFIG`,
 * else `~/.kube/config` where it exists; none otherwise (a pod's service account).
 */
export function defaultKubeconfigFiles(): string[] {
  const listed = process.env.KUBECONFIG;
  if (listed) return listed.split(delimiter).filter((file) => file !== '');
  const home = join(homedir(), '.kube', 'config');
  return existsSync(home) ? [home] : [];
}

/**
 * Whether the kubeconfig cluster named `cluster` says `disable-compression: true` (kubeconfig v1, as
 * kubectl and client-go read it since Kubernetes 1.26), in the first of `files` that defines it:
 * kubectl merges files so, the first to set a cluster wins. client-node's `KubeConfig` drops the
 * field, so the files are read again; one that cannot be read or parsed says nothing (client-node
 * has loaded it already, or refused it). Proved by 'reads disable-compression of the current
 * cluster, from the first kubeconfig file that defines it' (kubeconfig-compression.test.ts).
 *
 * @throws Error when the field is there but not a boolean (`"true"` quoted): kubectl refuses such a
 *   kubeconfig too, and taking it as false would compress what the user asked not to.
 */
export function disablesCompression(files: readonly string[], cluster: string | undefined): boolean {
  if (cluster === undefined) return false;
  for (const file of files) {
    let config: unknown;
    try {
      config = parse(readFileSync(file, 'utf8'));
    } catch {
      continue;
    }
    const clusters = (config as { clusters?: unknown } | null)?.clusters;
    if (!Array.isArray(clusters)) continue;
    const named = clusters.find((c) => (c as { name?: unknown } | null)?.name === cluster) as
      | { cluster?: { 'disable-compression'?: unknown } }
      | undefined;
    if (!named) continue;
    const value = named.cluster?.['disable-compression'];
    if (value === undefined || typeof value === 'boolean') return value === true;
    throw new Error(
      `kubeconfig ${file}: cluster "${cluster}" has disable-compression: ${JSON.stringify(value)}; ` +
        'write true or false, unquoted',
    );
  }
  return false;
}
