import type { RecordedAction } from '@kates/core/browser';
import type { ReactNode } from 'react';
import { summarize } from './describe.js';

const MAX_JSON = 20_000;

/** The action that led to the step shown: what it was, when, and its payload. */
export function ActionPanel({ recorded }: { recorded: RecordedAction | undefined }): ReactNode {
  if (!recorded) {
    return (
      <section className="panel" data-testid="action">
        <h2>Action</h2>
        <p>The state the recording starts from.</p>
      </section>
    );
  }
  const json = JSON.stringify(recorded.action, null, 2);
  return (
    <section className="panel" data-testid="action">
      <h2>
        Action #{recorded.i} <code data-testid="action-type">{recorded.action.type}</code>
      </h2>
      <p className="meta">
        +{recorded.t} ms · snapshot hash <code>{recorded.hash}</code>
      </p>
      <p className="summary">{summarize(recorded)}</p>
      <pre className="json">
        {json.length > MAX_JSON ? `${json.slice(0, MAX_JSON)}\n… (${json.length} characters)` : json}
      </pre>
    </section>
  );
}
