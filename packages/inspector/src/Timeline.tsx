import type { ReplaySession } from '@kates/core/browser';
import type { ReactNode } from 'react';
import { isError, summarize } from './describe.js';

/** The actions around the current step; a click goes there. */
export function Timeline({
  session,
  step,
  around = 12,
}: {
  session: ReplaySession;
  step: number;
  around?: number;
}): ReactNode {
  const from = Math.max(session.first + 1, step - around);
  const to = Math.min(session.last, step + around);
  const rows: ReactNode[] = [];
  for (let s = from; s <= to; s++) {
    const recorded = session.actionAt(s)!;
    rows.push(
      <li key={s} className={`${s === step ? 'current' : ''} ${isError(recorded) ? 'error' : ''}`}>
        <button type="button" onClick={() => session.seek(s)} data-testid={`timeline-${s}`}>
          <span className="index">#{s}</span> <span className="time">+{recorded.t} ms</span>{' '}
          {summarize(recorded)}
        </button>
      </li>,
    );
  }
  return (
    <ol className="timeline" data-testid="timeline">
      {rows}
    </ol>
  );
}
