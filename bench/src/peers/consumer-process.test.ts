import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConsumerConfig } from '../consumers/protocol.js';
import { ConsumerProcess } from './consumer-process.js';

const dir = mkdtempSync(join(tmpdir(), 'kates-consumer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config: ConsumerConfig = {
  peer: 'go-kates',
  kubeconfig: '/dev/null',
  namespace: 'bench',
  kind: 'ConfigMap',
  expect: 0,
  phases: ['slow'],
  doneName: 'done',
  reconcileMs: 0,
  intervalMs: 50,
  timeoutMs: 5000,
};

describe('a consumer process', () => {
  it('hands over every line it printed, however long, when it exits right after printing it', async () => {
    // A slow consumer's phase line: 10,001 latencies and their stamps (some 250 KB), printed by a
    // Node process that exits as the consumers do (consumers/exit.ts, built in bench/dist).
    const exit = fileURLToPath(new URL('../../dist/consumers/exit.js', import.meta.url));
    const script = join(dir, 'consumer.mjs');
    writeFileSync(
      script,
      `#!${process.execPath}
import { exitWhenWritten } from ${JSON.stringify(exit)};
const latenciesUs = Array.from({ length: 10_001 }, (_, i) => 100_000 + i);
const sentUs = latenciesUs.map((x) => 57_300_000_000 + x);
process.stdout.write(JSON.stringify({ type: 'phase', phase: 'slow', updates: 9, latenciesUs, sentUs,
  updateUs: [], endUs: 0, count: 0, digest: '', peakRssBytes: 0 }) + '\\n');
exitWhenWritten(0);
`,
    );
    chmodSync(script, 0o755);
    for (let i = 0; i < 3; i++) {
      const consumer = ConsumerProcess.go(script, config);
      const phase = await consumer.next('phase', 10_000);
      expect(phase.sentUs?.length).toBe(10_001);
      await consumer.stop();
    }
  });
});
