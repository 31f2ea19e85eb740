import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from './create-client.js';
import { defaultKubeconfigFiles, disablesCompression } from './kubeconfig-compression.js';

const dirs: string[] = [];
const saved = { KUBECONFIG: process.env.KUBECONFIG, HOME: process.env.HOME };
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** Writes `files` (name to text) into a fresh directory; their paths, in order. */
function write(files: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'kates-kubeconfig-'));
  dirs.push(dir);
  return Object.entries(files).map(([name, text]) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  });
}

const config = (clusters: string) => `apiVersion: v1
kind: Config
clusters:
${clusters}
contexts: []
users: []
`;

describe('disable-compression in kubeconfig files', () => {
  it('reads disable-compression of the current cluster, from the first kubeconfig file that defines it', () => {
    const [plain, off, broken] = write({
      plain: config('- name: a\n  cluster:\n    server: https://a.example'),
      off: config(
        '- name: a\n  cluster:\n    server: https://a.example\n    disable-compression: true\n' +
          '- name: b\n  cluster:\n    server: https://b.example\n    disable-compression: true\n' +
          '- name: c\n  cluster:\n    server: https://c.example\n    disable-compression: "true"',
      ),
      broken: 'clusters: [: not yaml',
    }) as [string, string, string];
    expect(disablesCompression([off], 'a')).toBe(true);
    // The first file to define a cluster wins, as kubectl merges them.
    expect(disablesCompression([plain, off], 'a')).toBe(false);
    expect(disablesCompression([off, plain], 'a')).toBe(true);
    expect(disablesCompression([plain, off], 'b')).toBe(true);
    // A boolean only, as client-go decodes the field: anything else is refused, naming the file,
    // the cluster and what to write.
    expect(() => disablesCompression([off], 'c')).toThrow(
      `kubeconfig ${off}: cluster "c" has disable-compression: "true"; write true or false, unquoted`,
    );
    // A cluster no file defines, no cluster, and files that cannot be read or parsed say nothing.
    expect(disablesCompression([off], 'z')).toBe(false);
    expect(disablesCompression([off], undefined)).toBe(false);
    expect(disablesCompression([broken, join(tmpdir(), 'kates-no-such-file'), off], 'b')).toBe(true);
  });

  it("lists the files of $KUBECONFIG, in order, as kubectl's chain reads them", () => {
    process.env.KUBECONFIG = ['/x/one', '', '/x/two'].join(delimiter);
    expect(defaultKubeconfigFiles()).toEqual(['/x/one', '/x/two']);
  });

  // In a pod, the service account is the chain's last link, and nothing is missing.
  it.skipIf(existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token'))(
    'has createClient say no kubeconfig was found where $KUBECONFIG names no file and ~/.kube/config is missing',
    () => {
      process.env.HOME = mkdtempSync(join(tmpdir(), 'kates-home-'));
      dirs.push(process.env.HOME);
      for (const kubeconfig of ['', delimiter]) {
        process.env.KUBECONFIG = kubeconfig;
        expect(defaultKubeconfigFiles()).toEqual([]);
        expect(() => createClient()).toThrow(
          /^no kubeconfig found: set \$KUBECONFIG, create ~\/\.kube\/config/,
        );
      }
    },
  );
});

describe('createClient and compression', () => {
  it("asks for gzip unless the kubeconfig's cluster disables compression, and the option decides over both", async () => {
    const asked: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      asked.push(req.headers['accept-encoding']);
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // client-node refuses plain HTTP unless TLS verification is off.
    const kubeconfig = (off: boolean) =>
      'apiVersion: v1\nkind: Config\ncurrent-context: x\n' +
      `clusters:\n- name: c\n  cluster:\n    server: ${url}\n    insecure-skip-tls-verify: true\n` +
      (off ? '    disable-compression: true\n' : '') +
      'users:\n- name: u\n  user: {}\ncontexts:\n- name: x\n  context:\n    cluster: c\n    user: u\n';
    const [on, off] = write({ on: kubeconfig(false), off: kubeconfig(true) }) as [string, string];
    try {
      for (const options of [
        { kubeconfig: on },
        { kubeconfig: off },
        { kubeconfig: off, compression: true },
        { kubeconfig: on, compression: false },
      ]) {
        const client = createClient(options);
        try {
          await (
            await client.transport.request({ method: 'GET', path: '/api/v1/namespaces/default' })
          ).text();
        } finally {
          client.close();
        }
      }
      // kubectl's chain: the files of $KUBECONFIG.
      process.env.KUBECONFIG = off;
      const client = createClient();
      try {
        await (await client.transport.request({ method: 'GET', path: '/api/v1/namespaces/default' })).text();
      } finally {
        client.close();
      }
      expect(asked).toEqual(['gzip', undefined, 'gzip', undefined, undefined]);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
