import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { fixture } from './__fixtures__/pods.js';
import { KatesProvider } from './provider.js';
import { useQuery } from './use-query.js';
import { useSyncStatus } from './use-sync-status.js';

function Pods() {
  const { items } = useQuery('pods');
  const { synced } = useSyncStatus();
  return (
    <ul data-synced={String(synced)}>
      {items.map((p) => (
        <li key={p.metadata?.uid}>{p.metadata?.name}</li>
      ))}
    </ul>
  );
}

describe('server rendering', () => {
  it('renders the snapshot as it is at render time, without a DOM', async () => {
    const f = await fixture({ pods: 3 });
    f.list('pods');
    const html = renderToString(
      <KatesProvider accumulator={f.accumulator}>
        <Pods />
      </KatesProvider>,
    );
    expect(html).toBe(
      '<ul data-synced="true"><li>pods-00000</li><li>pods-00001</li><li>pods-00002</li></ul>',
    );
    f.accumulator.close();
  });
});
