import type { ReplaySession } from '@kates/core/browser';
import { type ReactNode, useEffect } from 'react';
import { isError } from './describe.js';

/** Moves a replay: a slider over every step, buttons, and the arrow keys (Shift: 10 steps). */
export function Scrubber({ session, step }: { session: ReplaySession; step: number }): ReactNode {
  const nextError = () => session.find(isError, step);
  const prevError = () => {
    for (let s = step - 1; s > session.first; s--) if (isError(session.actionAt(s)!)) return s;
    return undefined;
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (
        (e.target as HTMLElement | null)?.tagName === 'INPUT' &&
        (e.target as HTMLInputElement).type !== 'range'
      )
        return;
      const n = e.shiftKey ? 10 : 1;
      if (e.key === 'ArrowRight') session.forward(n);
      else if (e.key === 'ArrowLeft') session.back(n);
      else if (e.key === 'Home') session.seek(session.first);
      else if (e.key === 'End') session.seek(session.last);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [session]);
  const to = (s: number | undefined) => () => s !== undefined && session.seek(s);
  return (
    <div className="scrubber">
      <button
        type="button"
        onClick={to(session.first)}
        disabled={step === session.first}
        title="First step (Home)"
      >
        « first
      </button>
      <button
        type="button"
        onClick={to(prevError())}
        disabled={prevError() === undefined}
        data-testid="prev-error"
      >
        ◀ error
      </button>
      <button
        type="button"
        onClick={() => session.back()}
        disabled={step === session.first}
        data-testid="back"
        title="Back (←)"
      >
        ◀
      </button>
      <input
        type="range"
        aria-label="step"
        data-testid="scrubber"
        min={session.first}
        max={session.last}
        value={step}
        onChange={(e) => session.seek(Number(e.target.value))}
      />
      <button
        type="button"
        onClick={() => session.forward()}
        disabled={step === session.last}
        data-testid="forward"
        title="Forward (→)"
      >
        ▶
      </button>
      <button
        type="button"
        onClick={to(nextError())}
        disabled={nextError() === undefined}
        data-testid="next-error"
      >
        error ▶
      </button>
      <button
        type="button"
        onClick={to(session.last)}
        disabled={step === session.last}
        title="Last step (End)"
      >
        last »
      </button>
      <span className="position" data-testid="position">
        step {step} of {session.last}
      </span>
    </div>
  );
}
