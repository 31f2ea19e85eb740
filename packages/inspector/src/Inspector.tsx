import { createKatesSelectors, diffStates, type KatesRootState } from '@kates/core/browser';
import { KatesProvider } from '@kates/react';
import { type ReactNode, useMemo } from 'react';
import { ActionPanel } from './ActionPanel.js';
import { DiffPanel } from './DiffPanel.js';
import { Scrubber } from './Scrubber.js';
import { StatusPanel } from './StatusPanel.js';
import { Timeline } from './Timeline.js';
import { useReplay, useStep } from './use-replay.js';

/** Selectors over a replay store (memoized by the states they are given, so one set serves every replay). */
const selectors = createKatesSelectors((root: KatesRootState) => root.kates);

/** Props of {@link Inspector}. */
export interface InspectorProps {
  /** The recording's text (JSON lines). */
  readonly recording: string;
  /** Its file name, for the title. */
  readonly name?: string;
}

/**
 * Scrubs through a kates recording: the action of each step, how the snapshot changed, and each
 * query's status, read through `<KatesProvider>` from the replay's store.
 * @public
 */
export function Inspector({ recording, name }: InspectorProps): ReactNode {
  const { session, error } = useReplay(recording);
  if (!session) {
    return (
      <main className="inspector">
        <h1>kates inspector</h1>
        <p className="error" data-testid="load-error">
          {error}
        </p>
      </main>
    );
  }
  return <Loaded session={session} name={name} />;
}

function Loaded({
  session,
  name,
}: {
  session: NonNullable<ReturnType<typeof useReplay>['session']>;
  name?: string;
}): ReactNode {
  const step = useStep(session);
  const diff = useMemo(
    () => (step > session.first ? diffStates(session.stateAt(step - 1), session.state) : []),
    [session, step],
  );
  const { header, truncated, segments } = session.recording;
  return (
    <main className="inspector">
      <header>
        <h1>
          kates inspector
          {name ? (
            <>
              : <code>{name}</code>
            </>
          ) : null}
        </h1>
        <p className="meta">
          recorded {header.startedAt} · {session.last - session.first} actions · {segments} segment(s) ·
          redaction {header.redaction.secrets ? 'on' : 'OFF'}
        </p>
        {truncated && (
          <p className="warning">The last line was cut short (the process stopped while writing it).</p>
        )}
        {session.mismatches.length > 0 && (
          <p className="warning" data-testid="mismatch">
            Step {session.mismatches[0]!.step} does not rebuild the snapshot the recorded process saw (hash{' '}
            {session.mismatches[0]!.actual}, recorded {session.mismatches[0]!.expected}).
          </p>
        )}
      </header>
      <Scrubber session={session} step={step} />
      <div className="columns">
        <Timeline session={session} step={step} />
        <ActionPanel recorded={session.actionAt(step)} />
        <DiffPanel diff={diff} />
      </div>
      <KatesProvider store={session.store} selectors={selectors}>
        <StatusPanel />
      </KatesProvider>
    </main>
  );
}
