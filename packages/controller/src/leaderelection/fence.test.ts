import type { Client } from '@kates/core';
import { describe, expect, it } from 'vitest';
import { fencedClient, fenceHolds, registerFence } from './fence.js';
import { LeadershipLostError } from './leadership-lost.js';

/** A client whose verbs record what they were called with, and resolve when told to. */
function recordingClient() {
  const calls: { verb: string; args: unknown[] }[] = [];
  const pending: { resolve: (v: unknown) => void; reject: (e: unknown) => void; signal?: AbortSignal }[] = [];
  const verb =
    (name: string) =>
    (...args: unknown[]) => {
      calls.push({ verb: name, args });
      const signal = (args.find((a) => (a as { signal?: unknown })?.signal) as { signal?: AbortSignal })
        ?.signal;
      return new Promise((resolve, reject) => {
        pending.push({ resolve, reject, signal });
        signal?.addEventListener('abort', () => reject(new Error('This operation was aborted')));
      });
    };
  const client = {
    namespace: 'default',
    create: verb('create'),
    update: verb('update'),
    patch: verb('patch'),
    modify: verb('modify'),
    delete: verb('delete'),
    get: (kind: string, name: string) => Promise.resolve({ kind, metadata: { name } }),
  } as unknown as Client;
  return { client, calls, pending };
}

const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };
const lost = () => new LeadershipLostError('lease ns/l', 'me', 'renew-deadline', 10);

describe('fencedClient', () => {
  it('passes a write through with the term’s signal while the term holds', async () => {
    const { client, calls, pending } = recordingClient();
    const term = new AbortController();
    const writer = fencedClient(client, term.signal);
    const done = writer.create(cm);
    pending[0]!.resolve('ok');
    await expect(done).resolves.toBe('ok');
    expect(calls[0]!.verb).toBe('create');
    expect((calls[0]!.args[1] as { signal: AbortSignal }).signal.aborted).toBe(false);
  });

  it('refuses a write once the term’s signal has aborted, without calling the client', async () => {
    const { client, calls } = recordingClient();
    const term = new AbortController();
    const writer = fencedClient(client, term.signal);
    term.abort(lost());
    const error = await writer.patch({ kind: 'cm', name: 'x' }, { data: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LeadershipLostError);
    expect((error as Error).message).toBe(
      'lease ns/l: "me" stopped leading: could not renew the Lease within renewDeadlineMs ' +
        '(patch cm "x" refused: this replica is no longer the leader, so it must not write)',
    );
    expect(calls).toEqual([]);
  });

  it('refuses a write past the renew deadline before the timer that aborts the signal has run', async () => {
    const { client, calls } = recordingClient();
    const term = new AbortController();
    let deadlinePassed = false;
    registerFence(term.signal, () => !deadlinePassed);
    const writer = fencedClient(client, term.signal);
    expect(fenceHolds(term.signal)).toBe(true);
    deadlinePassed = true;
    expect(term.signal.aborted).toBe(false);
    await expect(writer.update(cm)).rejects.toThrow(/update ConfigMap "x" refused/);
    expect(calls).toEqual([]);
  });

  it('aborts a write in flight when the term ends, saying it may have been applied', async () => {
    const { client } = recordingClient();
    const term = new AbortController();
    const own = new AbortController();
    const writer = fencedClient(client, term.signal);
    const inFlight = writer.modify({ kind: 'cm', name: 'x' }, () => undefined, { signal: own.signal });
    term.abort(lost());
    await expect(inFlight).rejects.toThrow(
      /modify cm "x" aborted in flight because leadership ended; the API server may or may not have applied it/,
    );
  });

  it('keeps the caller’s own signal: aborting it aborts the write as before', async () => {
    const { client } = recordingClient();
    const term = new AbortController();
    const own = new AbortController();
    const writer = fencedClient(client, term.signal);
    const inFlight = writer.delete({ kind: 'cm', name: 'x' }, { signal: own.signal });
    own.abort();
    await expect(inFlight).rejects.toThrow('This operation was aborted');
  });

  it('leaves reads alone after the term ended', async () => {
    const { client } = recordingClient();
    const term = new AbortController();
    term.abort(lost());
    const writer = fencedClient(client, term.signal);
    await expect(writer.get('cm', 'x')).resolves.toMatchObject({ metadata: { name: 'x' } });
    expect(writer.namespace).toBe('default');
  });

  it('accepts a fence with its own holds() test', async () => {
    const { client, calls } = recordingClient();
    const signal = new AbortController().signal;
    const writer = fencedClient(client, { signal, holds: () => false });
    await expect(writer.create(cm)).rejects.toThrow(/refused/);
    expect(calls).toEqual([]);
  });
});
