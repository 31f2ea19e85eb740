import { diffObjects, type QueryDiff } from '@kates/core/browser';
import type { ReactNode } from 'react';
import { label } from './describe.js';

const show = (v: unknown) => (v === undefined ? '∅' : JSON.stringify(v)).slice(0, 120);

function QueryChanges({ d }: { d: QueryDiff }): ReactNode {
  return (
    <div className="query-diff" data-testid={`diff-${d.id}`}>
      <h3>
        {d.id}
        {d.statusChanged && (
          <span className="status-change">
            {' '}
            {d.statusBefore?.phase ?? '∅'} → {d.statusAfter?.phase ?? '∅'}
          </span>
        )}
      </h3>
      <ul>
        {d.added.map((o) => (
          <li key={`a${o.metadata?.uid}`} className="added">
            + {label(o)}
          </li>
        ))}
        {d.removed.map((o) => (
          <li key={`r${o.metadata?.uid}`} className="removed">
            − {label(o)}
          </li>
        ))}
        {d.updated.map(({ before, after }) => (
          <li key={`u${after.metadata?.uid}`} className="updated">
            ~ {label(before)} → {after.metadata?.resourceVersion}
            <ul>
              {diffObjects(before, after, 20).map((c) => (
                <li key={c.path}>
                  <code>{c.path}</code>: {show(c.before)} → {show(c.after)}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** How each query's snapshot field and status changed at this step. */
export function DiffPanel({ diff }: { diff: readonly QueryDiff[] }): ReactNode {
  return (
    <section className="panel" data-testid="diff">
      <h2>Snapshot diff</h2>
      {diff.length === 0 ? (
        <p>No snapshot field or status changed at this step.</p>
      ) : (
        diff.map((d) => <QueryChanges key={d.id} d={d} />)
      )}
    </section>
  );
}
