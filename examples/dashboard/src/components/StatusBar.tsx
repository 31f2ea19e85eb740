import { useSyncStatus } from '@kates/react';

/**
 * Each query's status, live: `synced`, `listing`, `relisting` (a 410 Gone: the table still shows
 * the previous complete list), `backing-off`, `forbidden`, `unserved`, with its count and error.
 */
export function StatusBar() {
  const { synced, failing, queries } = useSyncStatus();
  return (
    <div className="status-bar" data-testid="status-bar" data-synced={String(synced)}>
      <span className={`overall ${failing.length ? 'bad' : synced ? 'ok' : 'wait'}`}>
        {failing.length ? `${failing.length} failing` : synced ? 'live' : 'syncing'}
      </span>
      {Object.entries(queries).map(([name, q]) => (
        <span
          key={name}
          className={`chip chip-${q.phase}`}
          data-testid={`status-${name}`}
          data-phase={q.phase}
          data-events={q.counters.events}
          title={
            q.error
              ? q.error.message
              : `resourceVersion ${q.resourceVersion}, ${q.counters.events} events, ` +
                `${q.counters.relists} relists, ${q.counters.reconnects} reconnects`
          }
        >
          {name}: {q.phase} ({q.count}){q.error && q.phase !== 'synced' ? ` - ${q.error.message}` : ''}
        </span>
      ))}
    </div>
  );
}
