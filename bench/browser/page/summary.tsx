import type { KubernetesObject } from '@kates/core/browser';

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

export function Summary({ counts }: { counts: Record<string, number> }) {
  return (
    <div>
      {Object.entries(counts)
        .sort()
        .map(([phase, n]) => (
          <b key={phase}>
            {n} {phase}{' '}
          </b>
        ))}
    </div>
  );
}

/** Equal counts: the summary keeps its render when no phase count moved. */
export function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  for (const k in a) if (a[k] !== b[k]) return false;
  return true;
}
