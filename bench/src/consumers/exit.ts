/**
 * Exits with `code` once everything written to stdout has been taken by the pipe. `process.exit`
 * right after a write drops what the pipe has not taken yet: a slow consumer's phase line of some
 * 250 KB (10,001 latencies and their stamps) reached the bench cut at 146 KB, and both peers
 * "exited before phase" (run of 2026-12-07 03:46). Proved by 'hands over every line it printed,
 * however long, when it exits right after printing it' (peers/consumer-process.test.ts).
 */
export function exitWhenWritten(code: number): void {
  process.stdout.write('', () => process.exit(code));
}
