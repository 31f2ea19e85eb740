import type { StepComparison } from './compare.js';
import { DIFFERENCE_CAUSES } from './known-differences.js';

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
}

/** What is wrong with a comparison: unmarked steps that differ, marked steps that no longer do. */
export function unexpected(results: readonly StepComparison[]): StepComparison[] {
  return results.filter((r) => r.same === (r.step.differs !== undefined));
}

/**
 * The comparison as text: the count, the differences by cause, then what is unexpected; with
 * `verbose`, both answers of every differing command.
 */
export function formatComparison(results: readonly StepComparison[], verbose = false): string {
  const same = results.filter((r) => r.same).length;
  const lines = [
    `kubectl session: ${same} of ${results.length} commands answer the same on the fake and the real API server`,
  ];
  for (const [cause, reason] of Object.entries(DIFFERENCE_CAUSES)) {
    const steps = results.filter((r) => !r.same && r.step.differs === cause);
    if (steps.length > 0) lines.push(`  ${steps.length} differ by ${cause}: ${reason}`);
  }
  for (const r of unexpected(results)) {
    lines.push(
      r.same
        ? `  NOW THE SAME (remove its differs mark): kubectl ${r.step.command}`
        : `  UNEXPLAINED: kubectl ${r.step.command}`,
    );
  }
  if (verbose) {
    for (const r of results.filter((x) => !x.same)) {
      lines.push(`  kubectl ${r.step.command}`);
      lines.push(`    fake (exit ${r.fake.code}):`, indent(r.fake.stdout + r.fake.stderr));
      lines.push(`    real (exit ${r.real.code}):`, indent(r.real.stdout + r.real.stderr));
    }
  }
  return lines.join('\n');
}
