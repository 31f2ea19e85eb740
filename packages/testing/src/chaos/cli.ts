#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { parseDuration } from './duration.js';
import { formatChaosReport } from './report.js';
import { runChaos } from './run-chaos.js';
import { formatSoakReport, runSoak } from './soak.js';

const USAGE = `usage: node packages/testing/dist/chaos/cli.js [--duration=5m] [--seed=N] [--watch-cache]
       node --expose-gc packages/testing/dist/chaos/cli.js --soak [--duration=30m] [--sample-every=30s]

Chaos (default): a real kube-apiserver + etcd of its own, a kates client behind a fault proxy,
faults for --duration (default 5m); prints the report; exits 1 on any divergence or duplicate.
--soak: moderate churn through a kates client with watches for --duration (default 30m),
sampling the heap after forced GC; exits 1 if the heap grows or handles leak.`;

function parseOptions() {
  return parseArgs({
    options: {
      duration: { type: 'string' },
      seed: { type: 'string' },
      'watch-cache': { type: 'boolean', default: false },
      soak: { type: 'boolean', default: false },
      'sample-every': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  }).values;
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseOptions>;
  try {
    args = parseOptions();
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let durationMs: number;
  let sampleEveryMs: number | undefined;
  try {
    durationMs = parseDuration(args.duration ?? (args.soak ? '30m' : '5m'));
    sampleEveryMs = args['sample-every'] ? parseDuration(args['sample-every']) : undefined;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const progress = (line: string) => process.stderr.write(`${line}\n`);

  if (args.soak) {
    if (typeof globalThis.gc !== 'function') {
      process.stderr.write('the soak samples the heap after a forced GC: run node with --expose-gc\n');
      return 2;
    }
    const report = await runSoak({
      durationMs,
      ...(sampleEveryMs ? { sampleEveryMs } : {}),
      onProgress: progress,
    });
    process.stdout.write(`${formatSoakReport(report)}\n`);
    return report.ok ? 0 : 1;
  }

  const seed = args.seed === undefined ? undefined : Number(args.seed);
  if (seed !== undefined && !Number.isInteger(seed)) {
    process.stderr.write(`--seed must be an integer, not "${args.seed}"\n`);
    return 2;
  }
  const report = await runChaos({
    durationMs,
    ...(seed !== undefined ? { seed } : {}),
    watchCache: args['watch-cache'],
    onProgress: progress,
  });
  process.stdout.write(`${formatChaosReport(report)}\n`);
  return report.ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`chaos run failed: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
