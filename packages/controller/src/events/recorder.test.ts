import { ApiError, type KubernetesObject } from '@kates/core';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock.js';
import { EVENT_LIMITS, type EventsV1Event, truncateNote } from './event.js';
import { type EventDropReason, EventRecorder, type EventRecorderOptions } from './recorder.js';

const configMap = (name: string, uid = `uid-${name}`): KubernetesObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'shop', uid, resourceVersion: '7' },
  data: { secretish: 'do-not-copy' },
});

type Call = { verb: 'create' | 'patch'; name: string; body: unknown };

/** A client whose answers the test decides: each call waits for `answer` unless `auto`. */
function scriptedClient() {
  const calls: Call[] = [];
  const failures: unknown[] = [];
  const client = {
    calls,
    /** Errors to throw, in order, before answering normally. */
    failures,
    async create(obj: KubernetesObject) {
      calls.push({ verb: 'create', name: obj.metadata?.name as string, body: structuredClone(obj) });
      const f = failures.shift();
      if (f) throw f;
      return obj;
    },
    async patch(obj: KubernetesObject, patch: unknown) {
      calls.push({ verb: 'patch', name: obj.metadata?.name as string, body: structuredClone(patch) });
      const f = failures.shift();
      if (f) throw f;
      return obj;
    },
  };
  return client;
}

function recorderWith(options: Partial<EventRecorderOptions> = {}) {
  const clock = new FakeClock();
  const client = scriptedClient();
  const dropped: EventDropReason[] = [];
  const log: string[] = [];
  const recorder = new EventRecorder({
    client: client as never,
    reportingController: 'example.com/router',
    reportingInstance: 'router-0',
    clock,
    retryDelayMs: 1000,
    log: (l) => log.push(l),
    metrics: { recorded: () => {}, dropped: (r) => dropped.push(r), written: () => {}, buffered: () => {} },
    ...options,
  });
  return { recorder, client, clock, dropped, log };
}

async function settle(rounds = 30): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

const synced = {
  type: 'Normal',
  reason: 'Synced',
  action: 'Reconcile',
  note: 'routing table written',
} as const;

describe('the Event recorder', () => {
  it('returns at once and writes an events.k8s.io/v1 Event in the background', async () => {
    const { recorder, client } = recorderWith();
    recorder.event(configMap('routes'), synced);
    expect(client.calls).toHaveLength(0);
    await recorder.flush();
    expect(client.calls).toHaveLength(1);
    const ev = client.calls[0]?.body as EventsV1Event;
    expect(ev).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { namespace: 'shop' },
      reportingController: 'example.com/router',
      reportingInstance: 'router-0',
      action: 'Reconcile',
      reason: 'Synced',
      type: 'Normal',
      note: 'routing table written',
      regarding: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'routes',
        namespace: 'shop',
        uid: 'uid-routes',
        resourceVersion: '7',
      },
    });
    expect(ev.metadata?.name).toMatch(/^routes\.[0-9a-f]+$/);
    expect(ev.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(ev.series).toBeUndefined();
  });

  it('folds repeats into a series: the first repeat patched at once, later ones on the next beat', async () => {
    const { recorder, client, clock } = recorderWith({ seriesUpdateMs: 60_000 });
    recorder.event(configMap('routes'), synced);
    await recorder.flush();
    recorder.event(configMap('routes'), synced);
    await settle();
    expect(client.calls.map((c) => c.verb)).toEqual(['create', 'patch']);
    expect(client.calls[1]?.body).toMatchObject({ series: { count: 2 } });
    for (let i = 0; i < 5; i++) recorder.event(configMap('routes'), synced);
    await settle();
    expect(client.calls).toHaveLength(2);
    clock.advance(60_000);
    await settle();
    expect(client.calls).toHaveLength(3);
    expect(client.calls[2]).toMatchObject({ verb: 'patch', body: { series: { count: 7 } } });
    const series = (client.calls[2]?.body as { series: { lastObservedTime: string } } | undefined)?.series;
    expect(series?.lastObservedTime).toMatch(/\.\d{6}Z$/);
    // Nothing new: the next beat writes nothing.
    clock.advance(60_000);
    await settle();
    expect(client.calls).toHaveLength(3);
  });

  it('counts a repeat despite a new resourceVersion of the object, and keeps Events of other notes or objects apart', async () => {
    const { recorder, client } = recorderWith();
    recorder.event(configMap('routes'), synced);
    recorder.event(
      { ...configMap('routes'), metadata: { ...configMap('routes').metadata, resourceVersion: '8' } },
      synced,
    );
    recorder.event(configMap('routes'), { ...synced, note: 'another note' });
    recorder.event(configMap('other'), synced);
    await recorder.flush();
    expect(client.calls.map((c) => c.verb)).toEqual(['create', 'patch', 'create', 'create']);
  });

  it('starts a new Event for a repeat that comes after the series window', async () => {
    const { recorder, client, clock } = recorderWith({ seriesWindowMs: 1000, seriesUpdateMs: 100_000 });
    recorder.event(configMap('routes'), synced);
    await recorder.flush();
    clock.advance(1000);
    recorder.event(configMap('routes'), synced);
    await recorder.flush();
    expect(client.calls.map((c) => c.verb)).toEqual(['create', 'create']);
    expect(client.calls[0]?.name).not.toBe(client.calls[1]?.name);
  });

  it('drops new Events of one chatty object past its burst, and counts them', async () => {
    const { recorder, client, dropped } = recorderWith({ perObjectBurst: 3 });
    for (let i = 0; i < 5; i++) recorder.event(configMap('routes'), { ...synced, note: `change ${i}` });
    recorder.event(configMap('quiet'), synced);
    await recorder.flush();
    expect(client.calls).toHaveLength(4);
    expect(dropped).toEqual(['rate-limited', 'rate-limited']);
  });

  it('drops Events past a full buffer without waiting, and counts them', async () => {
    const { recorder, client, dropped } = recorderWith({ bufferSize: 2 });
    for (let i = 0; i < 5; i++) recorder.event(configMap(`cm-${i}`), synced);
    expect(recorder.buffered).toBe(2);
    await recorder.flush();
    // cm-0 is being written; cm-1 and cm-2 wait; the rest find the buffer full.
    expect(client.calls.map((c) => c.name.split('.')[0])).toEqual(['cm-0', 'cm-1', 'cm-2']);
    expect(dropped).toEqual(['buffer-full', 'buffer-full']);
  });

  it('retries a write refused for load, and gives up on one refused as invalid, logging it', async () => {
    const { recorder, client, clock, dropped, log } = recorderWith();
    const unavailable = new ApiError({
      code: 503,
      reason: 'ServiceUnavailable',
      serverMessage: 'busy',
      verb: 'create',
      resource: 'events.events.k8s.io',
    });
    const invalid = new ApiError({
      code: 422,
      reason: 'Invalid',
      serverMessage: 'note too long',
      verb: 'create',
      resource: 'events.events.k8s.io',
    });
    client.failures.push(unavailable, unavailable);
    recorder.event(configMap('routes'), synced);
    await settle();
    expect(client.calls).toHaveLength(1);
    clock.advance(1250);
    await settle();
    clock.advance(1250);
    const flushed = recorder.flush();
    await settle();
    await flushed;
    expect(client.calls).toHaveLength(3);
    expect(dropped).toEqual([]);
    client.failures.push(invalid);
    recorder.event(configMap('other'), synced);
    await recorder.flush();
    expect(dropped).toEqual(['rejected']);
    expect(log[0]).toMatch(
      /create of Event Synced about ConfigMap shop\/other failed, not retried: .*note too long/,
    );
  });

  it('creates the Event again when a series patch finds it deleted', async () => {
    const { recorder, client } = recorderWith();
    recorder.event(configMap('routes'), synced);
    await recorder.flush();
    client.failures.push(
      new ApiError({
        code: 404,
        reason: 'NotFound',
        serverMessage: 'gone',
        verb: 'patch',
        resource: 'events.events.k8s.io',
      }),
    );
    recorder.event(configMap('routes'), synced);
    await recorder.flush();
    expect(client.calls.map((c) => c.verb)).toEqual(['create', 'patch', 'create']);
    expect(client.calls[2]?.body).toMatchObject({ series: { count: 2 } });
  });

  it('copies nothing of an object but its reference into an Event', async () => {
    const { recorder, client } = recorderWith();
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'tls', namespace: 'shop', uid: 'u', annotations: { token: 'hunter2' } },
      data: { password: 'aHVudGVyMg==' },
    };
    recorder.event(secret, { type: 'Warning', reason: 'Expiring', action: 'Check', related: secret });
    await recorder.flush();
    const text = JSON.stringify(client.calls);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('aHVudGVyMg==');
    expect((client.calls[0]?.body as EventsV1Event | undefined)?.related).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      name: 'tls',
      namespace: 'shop',
      uid: 'u',
    });
  });

  it('records Events about cluster-scoped objects in the default namespace', async () => {
    const { recorder, client } = recorderWith();
    recorder.event({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', uid: 'n' } }, synced);
    await recorder.flush();
    expect(client.calls[0]?.body).toMatchObject({
      metadata: { namespace: 'default' },
      regarding: { name: 'node-1' },
    });
  });

  it('cuts a long note to 1024 bytes on a character boundary', () => {
    const note = 'é'.repeat(800);
    const cut = truncateNote(note);
    expect(new TextEncoder().encode(cut).length).toBeLessThanOrEqual(EVENT_LIMITS.noteBytes);
    expect(cut.endsWith('é...')).toBe(true);
    expect(truncateNote('short')).toBe('short');
  });

  it('refuses a mistake in the call where the Event is recorded', () => {
    const { recorder } = recorderWith();
    expect(() => recorder.event(configMap('a'), { ...synced, type: 'Error' as never })).toThrow(
      /event: type must be "Normal" or "Warning", got "Error"/,
    );
    expect(() => recorder.event(configMap('a'), { ...synced, reason: '' })).toThrow(
      /event: reason is required/,
    );
    expect(() => recorder.event(configMap('a'), { ...synced, action: 'x'.repeat(129) })).toThrow(
      /the API server allows 128/,
    );
    expect(() => recorder.event({ kind: 'Pod', metadata: {} }, synced)).toThrow(
      /regarding object Pod has no metadata.name/,
    );
    expect(() => recorderWith({ reportingController: 'not a name' })).toThrow(
      /reportingController "not a name" must be a qualified name/,
    );
  });

  it('flushes what it holds at close, then drops and counts later Events', async () => {
    const { recorder, client, dropped } = recorderWith();
    recorder.event(configMap('routes'), synced);
    recorder.event(configMap('routes'), synced);
    recorder.event(configMap('routes'), synced);
    await recorder.close();
    expect(client.calls.map((c) => c.verb)).toEqual(['create', 'patch']);
    expect(client.calls[1]?.body).toMatchObject({ series: { count: 3 } });
    recorder.event(configMap('routes'), synced);
    expect(dropped).toEqual(['closed']);
  });
});
