/**
 * A measurement in a fresh process: `node --expose-gc worker.js <task> '<config JSON>'` prints one
 * JSON line with the result (or `{ "error": ... }`). Fresh processes keep heaps, JIT state and
 * garbage of one measurement out of the next.
 */
import { type MemoryConfig, runMemory } from './micro/memory.js';
import { type PendingBenchConfig, runPendingBench } from './micro/pending-bench.js';
import { runStoreBench, type StoreBenchConfig } from './micro/store-bench.js';

const TASKS = {
  'store-bench': (c: unknown) => runStoreBench(c as StoreBenchConfig),
  memory: (c: unknown) => runMemory(c as MemoryConfig),
  'pending-bench': (c: unknown) => runPendingBench(c as PendingBenchConfig),
} as const;

export type WorkerTask = keyof typeof TASKS;

const [task, config] = process.argv.slice(2);
const run = TASKS[task as WorkerTask];
if (!run) {
  process.stdout.write(
    `${JSON.stringify({ error: `unknown task "${task}"; tasks: ${Object.keys(TASKS).join(', ')}` })}\n`,
  );
  process.exit(2);
}
run(JSON.parse(config ?? '{}')).then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (e: unknown) => {
    process.stdout.write(`${JSON.stringify({ error: e instanceof Error ? e.message : String(e) })}\n`);
    process.exit(1);
  },
);
