/** Runs one peer's consumer against one API server: what a consumer process does, callable in-process by tests. */
import { runClientNode } from './client-node.js';
import { runEntityAdapter } from './entity-adapter.js';
import { runFloor } from './floor.js';
import { runKates } from './kates.js';
import type { ConsumerConfig, ConsumerLine } from './protocol.js';

const RUNNERS = {
  floor: runFloor,
  'floor-unpaged': runFloor,
  'floor-2000': runFloor,
  'floor-stream': runFloor,
  'floor-plain': runFloor,
  kates: runKates,
  'kates-dropmf': runKates,
  'kates-list': runKates,
  'kates-stream': runKates,
  'kates-plain': runKates,
  'entity-adapter': runEntityAdapter,
  'client-node': runClientNode,
} as const;

/** Runs the consumer a config names, printing its lines; rejects on failure or timeout. */
export async function runConsumer(config: ConsumerConfig, emit: (line: ConsumerLine) => void): Promise<void> {
  const run = RUNNERS[config.peer as keyof typeof RUNNERS];
  if (!run)
    throw new Error(`no consumer named "${config.peer}" in this process (Go kates runs as its own binary)`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${config.peer} did not finish within ${config.timeoutMs} ms`)),
      config.timeoutMs,
    );
  });
  try {
    await Promise.race([run(config, emit), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
