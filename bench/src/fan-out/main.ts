/**
 * `node --expose-gc bench/dist/fan-out/main.js [--server fake|real] [--pods 30000] [--sessions 50]
 *  [--relay-sessions 3] [--metadata] [--no-keep-json]`: browser sessions on one fan-out proxy (issue 21). Each
 * session is a Node client of the proxy's protocols (see proxy-session.ts); the proxy runs in a
 * process of its own, so that its heap and CPU are its own. Writes bench/out/fan-out.md and .json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { METADATA_LIST_ACCEPT } from '@kates/core/internal';
import { Driver } from '../driver.js';
import { type BenchServer, startFakeServer } from '../servers/fake.js';
import { startRealServer } from '../servers/real.js';
import { startProxyProcess } from './proxy-process.js';
import { renderFanOut } from './report.js';
import { type FanOutResult, runFanOut } from './run-fan-out.js';

const { values } = parseArgs({
  options: {
    server: { type: 'string', default: 'fake' },
    pods: { type: 'string', default: '30000' },
    sessions: { type: 'string', default: '50' },
    'relay-sessions': { type: 'string', default: '3' },
    metadata: { type: 'boolean', default: false },
    'no-keep-json': { type: 'boolean', default: false },
    out: { type: 'string', default: fileURLToPath(new URL('../../out/fan-out.md', import.meta.url)) },
  },
});
const log = (line: string) =>
  process.stderr.write(`[fan-out ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const pods = Number(values.pods);
const namespace = `bench-pod-${pods}`;
const collection = { kind: 'Pod' as const, n: pods, namespace };

let server: BenchServer | undefined;
try {
  server =
    values.server === 'real' ? await startRealServer([collection], log) : await startFakeServer([collection]);
  log(`${server.name} API server: ${pods} pods in ${(server.setupMs / 1000).toFixed(1)} s`);
  const driver = new Driver(server.kubeconfigPath, 'Pod', namespace);
  const kubeconfigPath = server.kubeconfigPath;
  const results: Record<string, FanOutResult> = {};
  for (const view of values.metadata ? ['full', 'metadata'] : ['full']) {
    log(`view: ${view}`);
    results[view] = await runFanOut({
      startProxy: (fanOut) =>
        startProxyProcess({ kubeconfigPath, fanOut, keepJson: !values['no-keep-json'] }),
      path: `/api/v1/namespaces/${namespace}/pods`,
      ...(view === 'metadata' ? { accept: METADATA_LIST_ACCEPT } : {}),
      sessions: Number(values.sessions),
      relaySessions: Number(values['relay-sessions']),
      // The marker lands in the done annotation of pod 0: its watch event carries it.
      change: async (marker) => {
        await driver.marker(marker);
      },
      log,
    });
  }
  driver.close();
  const markdown = renderFanOut(server.name, pods, results);
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, markdown);
  writeFileSync(
    values.out.replace(/\.md$/, '.json'),
    `${JSON.stringify({ server: server.name, pods, results }, null, 2)}\n`,
  );
  process.stdout.write(markdown);
} finally {
  await server?.stop();
}
