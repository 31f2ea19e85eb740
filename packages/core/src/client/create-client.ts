import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { createNodeTransport } from '../transport/node.js';
import { Client } from './client.js';
import { defaultKubeconfigFiles, disablesCompression } from './kubeconfig-compression.js';
import type { ClientOptions } from './types.js';

/** Options of {@link createClient}. */
export interface CreateClientOptions extends Omit<ClientOptions, 'transport' | 'namespace'> {
  /**
   * A kubeconfig file path, or a loaded `KubeConfig`. By default the chain kubectl uses:
   * `$KUBECONFIG` (files joined by the path delimiter), then `~/.kube/config`, then the in-cluster
   * service account.
   */
  readonly kubeconfig?: string | KubeConfig;
  /** The kubeconfig context to use instead of its current context. */
  readonly context?: string;
  /** The default namespace; otherwise the context's namespace, otherwise `default`. */
  readonly namespace?: string;
  /**
   * Whether requests other than watches ask the API server for gzip (see
   * `NodeTransportOptions.compression`). By default, as kubectl: yes, unless the kubeconfig's
   * cluster says `disable-compression: true` (read from the files of `kubeconfig` or of kubectl's
   * chain; a `KubeConfig` passed loaded does not keep the field, so pass this instead). Proved by
   * 'asks for gzip unless the kubeconfig's cluster disables compression, and the option decides
   * over both' (kubeconfig-compression.test.ts).
   */
  readonly compression?: boolean;
}

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * A {@link Client} for Node, from a kubeconfig. Authentication and TLS are client-node's (tokens,
 * token files, exec plugins, OIDC, client certificates, proxies); see `createNodeTransport`.
 *
 * @throws Error when no kubeconfig is found, or the context does not exist (naming the contexts
 *   that do).
 */
export function createClient(options: CreateClientOptions = {}): Client {
  const { kc, files } = loadKubeConfig(options.kubeconfig);
  if (options.context !== undefined) {
    if (!kc.getContextObject(options.context)) {
      const known =
        kc
          .getContexts()
          .map((c) => `"${c.name}"`)
          .join(', ') || 'none';
      throw new Error(`kubeconfig has no context "${options.context}"; its contexts are: ${known}`);
    }
    kc.setCurrentContext(options.context);
  }
  const contextNamespace = kc.getContextObject(kc.getCurrentContext())?.namespace;
  const compression = options.compression ?? !disablesCompression(files, kc.getCurrentCluster()?.name);
  return new Client({
    ...options,
    transport: createNodeTransport(kc, { compression }),
    namespace: options.namespace || contextNamespace,
  });
}

/** The kubeconfig, and the files it was read from (none for one passed loaded, or in a pod). */
function loadKubeConfig(source: string | KubeConfig | undefined): {
  kc: KubeConfig;
  files: readonly string[];
} {
  if (source instanceof KubeConfig) return { kc: source, files: [] };
  const kc = new KubeConfig();
  if (source !== undefined) {
    if (!existsSync(source)) throw new Error(`kubeconfig file ${source} does not exist`);
    kc.loadFromFile(source);
    return { kc, files: [source] };
  }
  // client-node falls back to an unauthenticated http://localhost:8080 when it finds nothing;
  // kubectl says so instead, and so do we.
  const files = defaultKubeconfigFiles();
  if (files.length === 0 && !existsSync(SERVICE_ACCOUNT_TOKEN)) {
    throw new Error(
      'no kubeconfig found: set $KUBECONFIG, create ~/.kube/config, or run in a pod with a service ' +
        'account (or pass createClient({ kubeconfig }))',
    );
  }
  kc.loadFromDefault();
  return { kc, files };
}
