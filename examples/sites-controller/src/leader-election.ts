import {
  type LeaderElection,
  type LeaderElectionOptions,
  LeaderElector,
  type Leadership,
} from '@kates/controller';
import type { Client } from '@kates/core';

/**
 * Where the manager meets the Lease elector: the manager asks for leadership as a promise of an
 * AbortSignal and a `release`; the elector hands its term's signal to `onStartedLeading` and waits
 * for the promise that returns before it releases the Lease. This adapter joins the two.
 */
export function leaseElection(
  client: Client,
  options: Omit<LeaderElectionOptions, 'client' | 'onStartedLeading'>,
): { readonly election: LeaderElection; stop(): Promise<void> } {
  let elector: LeaderElector | undefined;
  const election: LeaderElection = Object.assign(
    ({ signal }: { readonly signal: AbortSignal }) =>
      new Promise<Leadership>((resolve, reject) => {
        const standingBy = () => {
          void candidate.stop();
          reject(new Error('stopped while standing by'));
        };
        const candidate = new LeaderElector({
          client,
          ...options,
          // The elector keeps renewing until this settles: until the manager's controllers stopped.
          onStartedLeading: (term) =>
            new Promise<void>((workDone) => {
              signal.removeEventListener('abort', standingBy);
              term.addEventListener('abort', () => workDone(), { once: true });
              resolve({
                signal: term,
                release: async () => {
                  workDone();
                  await candidate.stop();
                },
              });
            }),
        });
        elector = candidate.start();
        signal.addEventListener('abort', standingBy, { once: true });
      }),
    { decided: () => !!elector && (elector.isLeader() || elector.leader !== undefined) },
  );
  return { election, stop: async () => elector?.stop() };
}
