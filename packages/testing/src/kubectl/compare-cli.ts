#!/usr/bin/env node
/**
 * Runs the kubectl session (session.ts) on a fresh fake and a fresh real API server and prints how
 * many commands answer the same, the differences by cause, and anything unexpected (exit 1).
 *
 *   npx tsc -b packages/testing && node packages/testing/dist/kubectl/compare-cli.js [--verbose] [--json out.json]
 *
 * Builds kubectl of the cluster's release on a first run (cluster/build-kubectl.sh, cached).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startCluster } from '../cluster/cluster.js';
import { startFakeApiServer } from '../fake/server.js';
import { ensureKubectl } from './binary.js';
import { compareSession } from './compare.js';
import { formatComparison, unexpected } from './report.js';

const { values } = parseArgs({
  options: { json: { type: 'string' }, verbose: { type: 'boolean', default: false } },
});
const kubectl = await ensureKubectl();
const cluster = await startCluster({ onProgress: (l) => process.stderr.write(`${l}\n`) });
const fake = await startFakeApiServer();
let failed = false;
try {
  const results = await compareSession(
    kubectl,
    { kubeconfigPath: fake.kubeconfigPath, url: fake.httpsUrl },
    { kubeconfigPath: cluster.kubeconfigPath, url: cluster.server },
    undefined,
    (c, i) => process.stderr.write(`${c.same ? '=' : 'x'} ${i + 1} kubectl ${c.step.command}\n`),
  );
  console.log(formatComparison(results, values.verbose));
  if (values.json) writeFileSync(values.json, JSON.stringify(results, null, 2));
  failed = unexpected(results).length > 0;
} finally {
  await fake.stop();
  await cluster.stop();
}
process.exit(failed ? 1 : 0);
