import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Transport } from '@kates/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeProxy, startKubeProxy } from './start.js';

function get(url: string, path: string): Promise<{ status: number; type: string | undefined; body: string }> {
  // A raw request: fetch would resolve `..` itself before sending.
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startKubeProxy static files', () => {
  const root = mkdtempSync(join(tmpdir(), 'kates-static-'));
  const site = join(root, 'site');
  let proxy: KubeProxy;
  beforeAll(async () => {
    mkdirSync(join(site, 'assets'), { recursive: true });
    writeFileSync(join(site, 'index.html'), '<!doctype html><div id=root></div>');
    writeFileSync(join(site, 'assets', 'app-1234.js'), 'console.log(1)');
    writeFileSync(join(root, 'secret.txt'), 'outside');
    const transport: Transport = {
      server: 'https://unused.test',
      request: () => Promise.reject(new Error('unused')),
    };
    proxy = await startKubeProxy({ transport, port: 0, staticDir: site });
  });
  afterAll(async () => {
    await proxy.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves the built dashboard, and index.html for client-side routes', async () => {
    expect(await get(proxy.url, '/')).toMatchObject({
      status: 200,
      type: 'text/html; charset=utf-8',
      body: '<!doctype html><div id=root></div>',
    });
    expect(await get(proxy.url, '/assets/app-1234.js')).toMatchObject({
      status: 200,
      type: 'text/javascript; charset=utf-8',
      body: 'console.log(1)',
    });
    expect(await get(proxy.url, '/pods/default')).toMatchObject({
      status: 200,
      body: '<!doctype html><div id=root></div>',
    });
    expect((await get(proxy.url, '/assets/missing.js')).status).toBe(404);
  });

  it('never serves a file outside its folder', async () => {
    for (const path of [
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
    ]) {
      const res = await get(proxy.url, path);
      expect(res.body, path).not.toContain('outside');
    }
  });
});
