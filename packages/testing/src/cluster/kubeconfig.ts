import { writeFileSync } from 'node:fs';

/** A user of a generated kubeconfig: a bearer token with a context of its own. */
export interface KubeconfigUser {
  readonly name: string;
  readonly token: string;
}

/** Options of {@link writeKubeconfig}. */
export interface KubeconfigOptions {
  /**
   * Writes `insecure-skip-tls-verify: true` (and no CA): for the fake API server, which speaks plain
   * http on loopback; @kubernetes/client-node refuses an http server without it.
   */
  readonly insecureSkipTlsVerify?: boolean;
}

/**
 * Writes a kubeconfig for `server` trusting `caPem`, with one context per user; the first
 * user's context is current. Mode 0600: it holds tokens.
 */
export function writeKubeconfig(
  path: string,
  server: string,
  caPem: string,
  users: readonly KubeconfigUser[],
  namespace = 'default',
  options: KubeconfigOptions = {},
): void {
  const trust = options.insecureSkipTlsVerify
    ? '    insecure-skip-tls-verify: true'
    : `    certificate-authority-data: ${Buffer.from(caPem).toString('base64')}`;
  const lines = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: kates-test',
    '  cluster:',
    `    server: ${server}`,
    trust,
    'users:',
    ...users.flatMap((u) => [`- name: ${u.name}`, '  user:', `    token: ${u.token}`]),
    'contexts:',
    ...users.flatMap((u) => [
      `- name: ${u.name}`,
      '  context:',
      '    cluster: kates-test',
      `    user: ${u.name}`,
      `    namespace: ${namespace}`,
    ]),
    `current-context: ${users[0]?.name ?? ''}`,
    '',
  ];
  writeFileSync(path, lines.join('\n'), { mode: 0o600 });
}
