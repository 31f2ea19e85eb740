import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import { parseRecording, recordingText } from '@kates/core';
import { serveStatic } from '@kates/proxy';
import { inspectorPage } from './build-page.js';

/** Options of {@link startInspector}. */
export interface InspectorServerOptions {
  /** The recording file (JSON lines, as `fileSink` writes it). */
  readonly recording: string;
  /** Join the rotated files beside it (`NAME.1.jsonl`, ...), oldest first. */
  readonly withRotated?: boolean;
  /** Port on `host` (default 0: a free one). */
  readonly port?: number;
  /** Default 127.0.0.1: a recording is about your cluster; it is served to this machine only. */
  readonly host?: string;
  /** A built page to serve (default: see `inspectorPage`). */
  readonly webDir?: string;
}

/** A running inspector. */
export interface InspectorServer {
  readonly url: string;
  /** Actions in the recording served. */
  readonly actions: number;
  close(): Promise<void>;
}

/**
 * Serves the inspector page and one recording (`/recording.jsonl`). The recording is read and
 * checked first, so a bad file fails here with its line number rather than in the browser.
 */
export async function startInspector(options: InspectorServerOptions): Promise<InspectorServer> {
  // Rotated files are served joined: the header and checkpoint of the oldest, then every action.
  const body = recordingText(options.recording, { withRotated: options.withRotated });
  const recording = parseRecording(body);
  const webDir = options.webDir ?? (await inspectorPage());
  const name = basename(options.recording);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/recording.jsonl') {
      res.writeHead(200, {
        'content-type': 'application/x-ndjson; charset=utf-8',
        'x-kates-recording': name,
        'cache-control': 'no-store',
      });
      res.end(body);
      return;
    }
    void serveStatic(webDir, req, res, path);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}/`,
    actions: recording.actions.length,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
