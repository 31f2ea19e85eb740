import type { FaultKind } from './fault-schedule.js';
import { FAULT_KINDS } from './fault-schedule.js';
import type { Divergence } from './invariants.js';
import type { ReconcilerCounts } from './reconciler.js';
import type { SlowConsumerCounts } from './slow-consumer.js';
import type { WatchHealth } from './watch-health.js';
import type { WorkloadCounts } from './workload.js';

/** A parent with more than one child at the end of a run: `namespace/parent: child, child`. */
export type Duplicate = string;

/** What a chaos run did and found. `ok` is false on any divergence, duplicate or coherence violation. */
export interface ChaosReport {
  readonly seed: number;
  readonly watchCache: boolean;
  /** How long faults were injected, ms. */
  readonly faultPhaseMs: number;
  /** Faults injected, by kind. */
  readonly faults: Readonly<Record<FaultKind, number>>;
  /** What the proxy did: connections it accepted and cut (every cut, by any fault). */
  readonly proxy: { readonly connections: number; readonly cuts: number; readonly blackholes: number };
  readonly workload: Readonly<WorkloadCounts>;
  /** The faulted client's watches: events received, 410s, relists, reconnects. */
  readonly watches: Readonly<WatchHealth>;
  readonly reconciler: Readonly<ReconcilerCounts>;
  readonly slowConsumer: Readonly<SlowConsumerCounts> & { readonly sleepMs: number };
  /** Objects compared with a fresh LIST in the last convergence pass. */
  readonly objectsCompared: number;
  /** ms after the faults (and the workload) stopped until every snapshot equalled its LIST; undefined if never. */
  readonly convergenceMs: number | undefined;
  /** The bound convergence was checked against, ms. */
  readonly convergenceTimeoutMs: number;
  readonly divergences: readonly Divergence[];
  readonly duplicates: readonly Duplicate[];
  /** Parents without a child, or children without a parent, once converged (the reconciler fell behind). */
  readonly unreconciled: readonly string[];
  /** Loops of the run that stopped on an unexpected error (workload, reconciler, slow consumer). */
  readonly errors: readonly string[];
  readonly ok: boolean;
}

const row = (label: string, value: string | number) => `  ${label.padEnd(30)} ${value}`;

/** The report as a short table, for a terminal or a CI log. */
export function formatChaosReport(report: ChaosReport): string {
  const w = report.workload;
  const r = report.reconciler;
  const lines = [
    `chaos run: ${report.ok ? 'PASS' : 'FAIL'} (seed ${report.seed}, watch cache ${report.watchCache ? 'on' : 'off'}, ` +
      `${(report.faultPhaseMs / 1000).toFixed(1)} s of faults)`,
    row('faults', FAULT_KINDS.map((k) => `${k} ${report.faults[k]}`).join(', ')),
    row(
      'proxy',
      `${report.proxy.connections} connections, ${report.proxy.cuts} cut, ${report.proxy.blackholes} blackholes`,
    ),
    row(
      'workload writes',
      `${w.creates + w.updates + w.deletes} (${w.creates} creates, ${w.updates} updates, ` +
        `${w.deletes} deletes; ${w.errors} failed)`,
    ),
    row('watch events received', `${report.watches.events} (+${report.watches.bookmarks} bookmarks)`),
    row('410 Gone / relists', `${report.watches.gone} / ${report.watches.relists}`),
    row('watch reconnects', report.watches.reconnects),
    row(
      'reconciles',
      `${r.reconciles} (${r.childrenCreated} children created, ${r.childrenDeleted} deleted)`,
    ),
    row(
      'unknown-outcome creates',
      `${r.unknownOutcomes} (list found created ${r.unknownFoundCreated}, absent ` +
        `${r.unknownFoundAbsent}; watch showed ${r.unknownSeenByWatch})`,
    ),
    row(
      'slow consumer',
      `${report.slowConsumer.reads} reads, ${report.slowConsumer.sleepMs} ms each, ` +
        `${report.slowConsumer.staleReads.length} stale`,
    ),
    row('objects compared with LIST', report.objectsCompared),
    row(
      'convergence after faults',
      report.convergenceMs === undefined
        ? `NOT within ${report.convergenceTimeoutMs} ms`
        : `${report.convergenceMs} ms (bound ${report.convergenceTimeoutMs} ms)`,
    ),
    row('divergences', report.divergences.length),
    row('duplicates', report.duplicates.length),
    row('coherence violations', r.coherenceViolations.length),
    row('unreconciled', report.unreconciled.length),
    row('errors', report.errors.length),
  ];
  for (const d of report.divergences) {
    lines.push(`  divergence ${d.accumulator}.${d.query} (${d.kind}):`);
    if (d.missing.length) lines.push(`    missing: ${d.missing.join(', ')}`);
    for (const why of d.explained ?? []) lines.push(`      ${why}`);
    if (d.ghosts.length) lines.push(`    ghosts: ${d.ghosts.join(', ')}`);
    if (d.stale.length) lines.push(`    stale: ${d.stale.join(', ')}`);
  }
  for (const d of report.duplicates) lines.push(`  duplicate: ${d}`);
  for (const c of r.coherenceViolations) lines.push(`  coherence: ${c}`);
  for (const s of report.slowConsumer.staleReads) lines.push(`  stale read: ${s}`);
  for (const u of report.unreconciled) lines.push(`  unreconciled: ${u}`);
  for (const e of report.errors) lines.push(`  error: ${e}`);
  return lines.join('\n');
}
