import type { BenchResults } from '../../results.js';

/** A full run's results with no measurement in it, for a report test to add its cases to. */
export const emptyRun = {
  mode: 'full',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationS: 900,
  partSeconds: { store: 300, fake: 95, real: 200 },
  machine: {
    cpu: 'cpu',
    cores: 2,
    memoryGiB: 24,
    os: 'Linux',
    node: 'v24',
    go: 'go',
    loadAverageStart: [1, 1, 1],
    loadAverageEnd: [1, 1, 1],
  },
  go: { error: 'not built' },
  store: [],
  memory: [],
  notes: [],
} satisfies Omit<BenchResults, 'fake' | 'real'>;
