import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { baseHeaders, writeStatus } from './status.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

async function fileAt(path: string): Promise<number | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Serves a built dashboard from `root`: the file named by the path, or `index.html` for paths
 * without an extension (client-side routes). Paths that leave `root` are refused. Vite's hashed
 * `assets/` are cached for good; everything else is revalidated.
 */
export async function serveStatic(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    writeStatus(
      res,
      405,
      'MethodNotAllowed',
      `the dashboard's files are read-only: ${req.method} is refused`,
      { allow: 'GET, HEAD' },
    );
    return;
  }
  const base = resolve(root);
  let relative: string;
  try {
    relative = decodeURIComponent(pathname);
  } catch {
    writeStatus(res, 400, 'BadRequest', 'malformed path');
    return;
  }
  let path = resolve(base, `.${relative.endsWith('/') ? `${relative}index.html` : relative}`);
  if (path !== base && !path.startsWith(base + sep)) {
    writeStatus(res, 404, 'NotFound', 'not found');
    return;
  }
  let size = await fileAt(path);
  if (size === undefined && extname(path) === '') {
    path = resolve(base, 'index.html');
    size = await fileAt(path);
  }
  if (size === undefined) {
    writeStatus(res, 404, 'NotFound', `no file ${pathname} in the dashboard`);
    return;
  }
  const immutable = relative.startsWith('/assets/');
  res.writeHead(200, {
    ...baseHeaders,
    'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
    'content-length': String(size),
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(createReadStream(path), res).catch(() => res.destroy());
}
