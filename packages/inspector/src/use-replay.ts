import { type ReplaySession, replay } from '@kates/core/browser';
import { useMemo, useSyncExternalStore } from 'react';

/** A replay of `text`, or why it cannot be read. Mismatched hashes are reported, not thrown. */
export function useReplay(text: string): { session?: ReplaySession; error?: string } {
  return useMemo(() => {
    try {
      return { session: replay(text, { verify: 'report' }) };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }, [text]);
}

/** The step a replay shows, re-rendering when it moves. */
export function useStep(session: ReplaySession): number {
  return useSyncExternalStore(
    session.store.subscribe,
    () => session.step,
    () => session.step,
  );
}
