import type { KubernetesObject } from '@kates/core/browser';

/** The summary's four groups: Running, Pending, Failed, and the rest. */
export function phaseGroup(p: KubernetesObject): string {
  const phase = p.status?.phase;
  return phase === 'Running' || phase === 'Pending' || phase === 'Failed' ? phase : 'Other';
}

const groups = ['Failed', 'Other', 'Pending', 'Running'];

const memo = new WeakMap<readonly KubernetesObject[], Record<string, number>>();

/** Pods by phase, computed once per items array. */
export function phaseCounts(items: readonly KubernetesObject[]): Record<string, number> {
  let counts = memo.get(items);
  if (!counts) {
    let running = 0;
    let pending = 0;
    let failed = 0;
    let other = 0;
    for (const p of items) {
      const phase = p.status?.phase;
      if (phase === 'Running') running++;
      else if (phase === 'Pending') pending++;
      else if (phase === 'Failed') failed++;
      else other++;
    }
    counts = { Running: running, Pending: pending, Failed: failed, Other: other };
    memo.set(items, counts);
  }
  return counts;
}

export function Summary({ counts }: { counts: Readonly<Record<string, number>> }) {
  return (
    <div>
      {groups.map((phase) => (
        <b key={phase}>
          {counts[phase] ?? 0} {phase}{' '}
        </b>
      ))}
    </div>
  );
}
