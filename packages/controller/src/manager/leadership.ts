/**
 * How the manager and a leader elector meet, without either importing the other: the elector
 * hands over leadership as an AbortSignal, the manager runs its controllers while the signal holds.
 */

/** Leadership held by this process. */
export interface Leadership {
  /** Aborts when this process stops leading (the lease was lost, or released). */
  readonly signal: AbortSignal;
  /**
   * Gives the lease up at once (client-go's `ReleaseOnCancel`: an empty holder), so that a standby
   * takes over within one retry period instead of a whole lease duration. The manager calls it
   * after its controllers have stopped, never before: two leaders must never act at once.
   */
  release?(): Promise<void>;
}

/**
 * A leader election that has yet to be won: resolves once this process leads. It must give up
 * (reject, or never resolve) when `signal` aborts, which the manager does when it stops while
 * standing by.
 */
export interface LeaderElection {
  (options: { readonly signal: AbortSignal }): Promise<Leadership>;
  /**
   * Whether the election has made its first decision (this process leads, or it has read the Lease
   * and knows another holder). Readiness waits for it when present; without it, a standby replica
   * is ready at once, as controller-runtime's are.
   */
  decided?(): boolean;
}

/** Leadership already held, or an election to win first. */
export type LeadershipSource = Leadership | LeaderElection;

/** Leadership that is never lost: a manager without leader election. */
export const alwaysLeading: Leadership = Object.freeze({ signal: new AbortController().signal });

/** Whether the election behind `source` has decided (see {@link LeaderElection.decided}). */
export function electionDecided(source: LeadershipSource | undefined, leading: boolean): boolean {
  if (!source || typeof source !== 'function' || leading) return true;
  return source.decided ? source.decided() : true;
}
