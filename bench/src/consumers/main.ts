/**
 * A consumer process: `node consumers/main.js '<ConsumerConfig JSON>'`. Runs one peer against one
 * API server and prints {@link ConsumerLine}s on stdout, one JSON object a line. One process per
 * run, so heaps and GC state never carry over between peers.
 */

import { exitWhenWritten } from './exit.js';
import type { ConsumerConfig, ConsumerLine } from './protocol.js';
import { runConsumer } from './run-consumer.js';

const emit = (line: ConsumerLine) => process.stdout.write(`${JSON.stringify(line)}\n`);
runConsumer(JSON.parse(process.argv[2] ?? '{}') as ConsumerConfig, emit).then(
  () => exitWhenWritten(0),
  (e: unknown) => {
    emit({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    exitWhenWritten(1);
  },
);
