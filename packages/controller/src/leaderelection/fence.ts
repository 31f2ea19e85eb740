import type { Client } from '@kates/core';
import { LeadershipLostError } from './leadership-lost.js';

/**
 * What a {@link fencedClient} checks before each write: a signal, and optionally a synchronous
 * test that is false as soon as the holder is past its renew deadline, even before the timer that
 * aborts the signal has run (after the process was paused, timers due earlier run first).
 */
export interface Fence {
  readonly signal: AbortSignal;
  holds?(): boolean;
}

/** The renew-deadline test of each signal a LeaderElector hands out. */
const deadlines = new WeakMap<AbortSignal, () => boolean>();

/** Ties a term's signal to its renew-deadline test, so a bare signal fences as well as a {@link Fence}. @internal */
export function registerFence(signal: AbortSignal, holds: () => boolean): void {
  deadlines.set(signal, holds);
}

/** Whether a write may go out under `fence` now. */
export function fenceHolds(fence: AbortSignal | Fence): boolean {
  const signal = fence instanceof AbortSignal ? fence : fence.signal;
  if (signal.aborted) return false;
  const holds = fence instanceof AbortSignal ? deadlines.get(fence) : (fence.holds ?? deadlines.get(signal));
  return holds ? holds() : true;
}

/** The writes of the client, and the position of each one's options argument. */
const WRITES: Readonly<Record<string, number>> = {
  create: 1,
  update: 1,
  updateStatus: 1,
  apply: 1,
  delete: 1,
  upsert: 1,
  patch: 2,
  modify: 2,
};

function describeTarget(args: readonly unknown[]): string {
  const first = args[0] as { kind?: unknown; metadata?: { name?: unknown }; name?: unknown } | undefined;
  const kind = typeof first?.kind === 'string' ? first.kind : 'object';
  const name = first?.metadata?.name ?? first?.name;
  return typeof name === 'string' ? `${kind} "${name}"` : kind;
}

function refusal(verb: string, args: readonly unknown[], signal: AbortSignal, inFlight: boolean): Error {
  const reason = signal.reason;
  const message = inFlight
    ? `${verb} ${describeTarget(args)} aborted in flight because leadership ended; the API server may or may not have applied it`
    : `${verb} ${describeTarget(args)} refused: this replica is no longer the leader, so it must not write`;
  if (reason instanceof LeadershipLostError) {
    return new LeadershipLostError(reason.lease, reason.identity, reason.reason, reason.endedAt, message);
  }
  return new Error(message, { cause: reason });
}

/**
 * The client, with every write (create, update, updateStatus, patch, apply, delete, upsert,
 * modify) fenced by a leadership term: a write is refused with a {@link LeadershipLostError}
 * before anything is sent once the term has ended, and a write in flight is aborted when it ends
 * (the term's signal is joined to the write's own `signal`). Reads and watches are unchanged.
 *
 * This fences what this process sends. It cannot recall a request already on the wire: a write
 * sent just before the deadline may reach the API server up to one request's transit time later.
 *
 * @example
 * new LeaderElector({
 *   client, name: 'my-controller', identity: podName,
 *   onStartedLeading: async (signal) => {
 *     const writer = fencedClient(client, signal);
 *     await runController(writer, signal); // every write stops when leadership is lost
 *   },
 * }).start();
 */
export function fencedClient(client: Client, fence: AbortSignal | Fence): Client {
  const signal = fence instanceof AbortSignal ? fence : fence.signal;
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof prop !== 'string' || typeof value !== 'function') return value;
      const at = WRITES[prop];
      if (at === undefined) return (value as (...a: unknown[]) => unknown).bind(target);
      return (...args: unknown[]) => {
        if (!fenceHolds(fence)) return Promise.reject(refusal(prop, args, signal, false));
        const opts = (args[at] ?? {}) as { signal?: AbortSignal };
        const joined = opts.signal ? AbortSignal.any([signal, opts.signal]) : signal;
        const fencedArgs = [...args];
        while (fencedArgs.length < at) fencedArgs.push(undefined);
        fencedArgs[at] = { ...opts, signal: joined };
        return (value as (...a: unknown[]) => Promise<unknown>)
          .apply(target, fencedArgs)
          .catch((e: unknown) => {
            // A write cut short by the end of the term says so, rather than "aborted".
            throw signal.aborted ? refusal(prop, args, signal, true) : e;
          });
      };
    },
  });
}
