import { useSyncStatus } from '@kates/react';
import { optionalQueries } from '../cluster.js';

/**
 * Each query's status, live: `synced`, `listing`, `relisting` (a 410 Gone: the table still shows
 * the previous complete list), `backing-off`, `forbidden`, `unserved`, with its count and error.
 * An optional kind the cluster does not serve (`optionalQueries`) is `not installed`, not a failure.
 */
export function StatusBar() {
  const status = useSyncStatus();
  const { queries } = status;
  const absent = (name: string) => optionalQueries.has(name) && queries[name]?.phase === 'unserved';
  const failing = status.failing.filter((name) => !absent(name));
  const synced =
    status.synced ||
    (failing.length === 0 && Object.entries(queries).every(([n, q]) => absent(n) || q.synced));
  return (
    <div className="status-bar" data-testid="status-bar" data-synced={String(synced)}>
      <span className={`overall ${failing.length ? 'bad' : synced ? 'ok' : 'wait'}`}>
        {failing.length ? `${failing.length} failing` : synced ? 'live' : 'syncing'}
      </span>
      {Object.entries(queries).map(([name, q]) => (
        <span
          key={name}
          className={`chip chip-${absent(name) ? 'absent' : q.phase}`}
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
          {absent(name)
            ? `${name}: not installed`
            : `${name}: ${q.phase} (${q.count})${q.error && q.phase !== 'synced' ? ` - ${q.error.message}` : ''}`}
        </span>
      ))}
    </div>
  );
}
