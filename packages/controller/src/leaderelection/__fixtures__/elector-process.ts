/**
 * One candidate of the failover tests as a process of its own, so that it can be killed (-9),
 * paused (SIGSTOP) and cut off like a real replica. Configured by environment; reports on stdout,
 * one JSON object a line, with times on the machine's clock (`performance.timeOrigin +
 * performance.now()`, comparable across processes on one host):
 *
 * - `{ event: 'started', at, term }` when a term starts;
 * - `{ event: 'until', until, term }` whenever the term's renew deadline moves (a renewal);
 * - `{ event: 'stopped', at, endedAt, reason, term }` when it ends (`endedAt`: when it ended by
 *   the rules, the renew deadline for `renew-deadline`, even if noticed later after a pause);
 * - `{ event: 'leader', identity, at }` for each new holder observed;
 * - `{ event: 'error', at, message }` for each failed attempt to acquire or renew;
 * - for the ledger writes: `{ event: 'write-sent', at, term, seq }` when the fence let one go out,
 *   then `write` (answered), or `write-aborted` (the term ended while it was in flight); or
 *   `refused` when the fence did not let it go out.
 *
 * While leading it writes the ledger ConfigMap every 100 ms through a fenced client, without a
 * resourceVersion, so that only the fence keeps a deposed leader from writing. SIGTERM stops the
 * elector (releasing the Lease) and exits.
 */
import { createClient } from '@kates/core';
import { LeaderElector } from '../elector.js';
import { fencedClient, fenceHolds } from '../fence.js';
import { isLeadershipLost, type LeadershipLostError } from '../leadership-lost.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`elector-process: ${name} is not set`);
  return value;
};
const wall = (monotonic: number) => performance.timeOrigin + monotonic;
const report = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

const identity = env('IDENTITY');
const namespace = env('NAMESPACE');
const ledger = env('LEDGER');
const client = createClient({ kubeconfig: env('KUBECONFIG_PATH'), namespace });
let term = 0;

const elector = new LeaderElector({
  client,
  name: env('LEASE'),
  namespace,
  identity,
  leaseDurationMs: Number(env('LEASE_DURATION_MS')),
  renewDeadlineMs: Number(env('RENEW_DEADLINE_MS')),
  retryPeriodMs: Number(env('RETRY_PERIOD_MS')),
  onStartedLeading: async (signal) => {
    const mine = ++term;
    report({ event: 'started', at: wall(performance.now()), term: mine });
    signal.addEventListener('abort', () => {
      const reason = signal.reason as LeadershipLostError;
      report({
        event: 'stopped',
        at: wall(performance.now()),
        endedAt: wall(reason.endedAt),
        reason: reason.reason,
        term: mine,
      });
    });
    const writer = fencedClient(client, signal);
    const data = (seq: number) => ({
      data: { writer: `${identity}@${process.pid}#${mine}`, seq: String(seq) },
    });
    for (let seq = 1; !signal.aborted; seq++) {
      // The fence decides in this same tick: 'write-sent' means it let the write go out.
      const admitted = fenceHolds(signal);
      if (admitted) report({ event: 'write-sent', at: wall(performance.now()), term: mine, seq });
      try {
        await writer.patch({ kind: 'cm', name: ledger, namespace }, data(seq));
        report({ event: 'write', at: wall(performance.now()), term: mine, seq });
      } catch (e) {
        if (isLeadershipLost(e))
          report({
            event: admitted ? 'write-aborted' : 'refused',
            at: wall(performance.now()),
            term: mine,
            seq,
          });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  },
  onNewLeader: (holder) => report({ event: 'leader', identity: holder, at: wall(performance.now()) }),
  onError: (e) =>
    report({
      event: 'error',
      at: wall(performance.now()),
      message: String((e as Error)?.message ?? e).slice(0, 300),
    }),
}).start();

// The renew deadline, as it moves: what the term could claim if this process died now.
let lastUntil: number | undefined;
setInterval(() => {
  const until = elector.leadingUntil;
  if (until !== undefined && until !== lastUntil) report({ event: 'until', until: wall(until), term });
  lastUntil = until;
}, 20);

process.on('SIGTERM', () => {
  void elector.stop().then(() => {
    report({ event: 'exited', at: wall(performance.now()) });
    client.close();
    process.exit(0);
  });
});
report({ event: 'ready', at: wall(performance.now()) });
