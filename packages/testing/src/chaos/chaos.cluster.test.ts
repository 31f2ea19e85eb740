import { beforeAll, describe, expect, it } from 'vitest';
import { realCluster } from '../vitest/cluster.js';
import { FAULT_KINDS } from './fault-schedule.js';
import { type ChaosReport, formatChaosReport } from './report.js';
import { runChaos } from './run-chaos.js';

// The short chaos run of CI: about 35 s of faults on a cluster of its own (it restarts
// kube-apiserver and compacts etcd). `npm run test:chaos` runs the long one.
describe.skipIf(!realCluster())(
  'a kates client under 35 s of network faults, restarts and compactions',
  () => {
    let report: ChaosReport;

    beforeAll(async () => {
      report = await runChaos({ durationMs: 35_000, seed: Number(process.env.KATES_CHAOS_SEED ?? 11) });
      console.log(formatChaosReport(report));
    }, 300_000);

    it('keeps every snapshot equal to a fresh LIST within 10 s of the faults stopping', () => {
      expect(report.divergences).toEqual([]);
      expect(report.convergenceMs).toBeDefined();
      expect(report.convergenceMs!).toBeLessThanOrEqual(10_000);
      // The check compared real objects: the workload left some in every set.
      expect(report.objectsCompared).toBeGreaterThan(20);
    });

    it('never lets the reconciler create a second child for a parent', () => {
      expect(report.duplicates).toEqual([]);
      expect(report.unreconciled).toEqual([]);
      expect(report.reconciler.childrenCreated).toBeGreaterThan(0);
      expect(report.reconciler.childrenDeleted).toBeGreaterThan(0);
    });

    it('shows each write of the reconciler in its next snapshot, and gives the slow consumer the newest state', () => {
      expect(report.reconciler.coherenceViolations).toEqual([]);
      expect(report.slowConsumer.staleReads).toEqual([]);
      expect(report.slowConsumer.reads).toBeGreaterThan(2);
      expect(report.errors).toEqual([]);
    });

    it('injects every kind of fault, and the proxy really cuts connections', () => {
      for (const kind of FAULT_KINDS) expect(report.faults[kind], kind).toBeGreaterThan(0);
      expect(report.proxy.cuts).toBeGreaterThan(0);
      expect(report.proxy.blackholes).toBe(report.faults.blackhole);
      expect(report.watches.reconnects).toBeGreaterThan(0);
    });

    it('sends watches back to a list after the 410 Gone of a compaction', () => {
      expect(report.watches.gone).toBeGreaterThan(0);
      // This reflector lists again only after a 410: every relist here followed one.
      expect(report.watches.relists).toBeGreaterThan(0);
    });

    it('churned every kind while the faults ran, and the watches delivered it', () => {
      const w = report.workload;
      expect(Math.min(w.creates, w.updates, w.deletes)).toBeGreaterThan(0);
      expect(report.watches.events).toBeGreaterThan(w.creates);
    });

    it('passes as a whole, and its table names every fault kind', () => {
      expect(report.ok).toBe(true);
      const table = formatChaosReport(report);
      for (const kind of FAULT_KINDS) expect(table).toContain(`${kind} ${report.faults[kind]}`);
      expect(table).toMatch(/^chaos run: PASS/);
    });
  },
);
