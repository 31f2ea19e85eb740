import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ResourceType } from '../discovery/types.js';
import { heldObjects } from '../store/__fixtures__/store.js';
import type { KatesStore } from '../store/store.js';
import { type Transport, transportResponse } from '../transport/types.js';
import { type ScriptedAnswer, scriptedTransport } from './__fixtures__/scripted-transport.js';
import { configmaps, key, storeWithWatch } from './__fixtures__/watched.js';
import { Reflector, type ReflectorOptions } from './reflector.js';

const secrets: ResourceType = { ...configmaps, resource: 'secrets', kind: 'Secret' };

const cm = (name: string, rv: string, uid = `uid-${name}`) => ({
  metadata: { name, namespace: 'ns', uid, resourceVersion: rv },
});
const line = (type: string, object: unknown) => JSON.stringify({ type, object });
const list = (rv: string, ...items: unknown[]): ScriptedAnswer => ({
  body: { metadata: { resourceVersion: rv }, items },
});

let running: Reflector[] = [];
afterEach(async () => {
  await Promise.all(running.map((r) => r.stop()));
  running = [];
});

function start(
  script: (req: { query?: Record<string, unknown> }, n: number) => ScriptedAnswer,
  resource = configmaps,
  notOlderThan?: () => string | undefined,
  /** Wraps the scripted transport (to hold a request, say). */
  wrap: (scripted: Transport) => Transport = (t) => t,
) {
  const store: KatesStore = storeWithWatch(resource);
  const { transport, requests } = scriptedTransport((req, n) => script(req as never, n));
  const reflector = new Reflector(
    wrap(transport),
    store.dispatch,
    { key, resource, labelSelector: '', fieldSelector: '', ...(notOlderThan ? { notOlderThan } : {}) },
    {
      // These cases follow a LIST, then watches; streaming lists have their own cases below.
      initialList: 'list',
      backoff: { initialMs: 10, maxMs: 40, random: () => 0 },
      minWatchMs: 50,
      inactivityTimeoutMs: 400,
      slowRetryMs: 20,
    },
  );
  running.push(reflector);
  void reflector.start();
  const names = () =>
    heldObjects(store.getState().kates)
      .map((o) => o.metadata?.name)
      .sort();
  const reflectorState = () => store.getState().kates.reflectors[key]!;
  return { store, requests, names, reflectorState };
}

/** A reflector whose initial list is a streaming list (unless `options` say otherwise) over a scripted server. */
function startStreaming(
  script: (req: { query?: Record<string, unknown> }, n: number) => ScriptedAnswer,
  options: ReflectorOptions = { initialList: 'stream' },
) {
  const store: KatesStore = storeWithWatch();
  const { transport, requests, dropped } = scriptedTransport((req, n) => script(req as never, n));
  const reflector = new Reflector(
    transport,
    store.dispatch,
    { key, resource: configmaps, labelSelector: '', fieldSelector: '' },
    options,
  );
  running.push(reflector);
  void reflector.start();
  return { store, requests, dropped };
}

describe('Reflector', () => {
  it('lists consistently in pages, then watches from the list version with bookmarks', async () => {
    const { requests, names } = start((_req, n) =>
      n === 0 ? list('10', cm('a', '5')) : { lines: [line('ADDED', cm('b', '11')), 'hang'] },
    );
    await expect.poll(names).toEqual(['a', 'b']);
    expect(requests[0]!.query).toMatchObject({ limit: 2000 });
    expect(requests[0]!.query!.resourceVersion).toBeUndefined();
    expect(requests[1]!.query).toMatchObject({
      watch: true,
      resourceVersion: '10',
      allowWatchBookmarks: true,
    });
    const timeout = Number(requests[1]!.query!.timeoutSeconds);
    expect(timeout).toBeGreaterThanOrEqual(300);
    expect(timeout).toBeLessThanOrEqual(600);
  });

  it("lists first at least as new as the client's newest write of the kind, and pages on without a version", async () => {
    const { requests, names } = start(
      (_req, n) => {
        if (n === 0)
          return { body: { metadata: { resourceVersion: '42', continue: 'next' }, items: [cm('a', '41')] } };
        if (n === 1) return list('42', cm('b', '7'));
        return { lines: ['hang'] };
      },
      configmaps,
      () => '41',
    );
    await expect.poll(names).toEqual(['a', 'b']);
    expect(requests[0]!.query).toMatchObject({ resourceVersion: '41', resourceVersionMatch: 'NotOlderThan' });
    expect(requests[1]!.query).toMatchObject({
      continue: 'next',
      resourceVersion: undefined,
      resourceVersionMatch: undefined,
    });
    expect(requests[2]!.query).toMatchObject({ watch: true, resourceVersion: '42' });
  });

  it("lists consistently when the cache cannot reach the client's writes in time (504)", async () => {
    const { requests, names } = start(
      (_req, n) => {
        if (n === 0)
          return {
            status: 504,
            body: {
              kind: 'Status',
              code: 504,
              reason: 'Timeout',
              message: 'Too large resource version: 99, current: 98',
            },
          };
        if (n === 1) return list('99', cm('a', '99'));
        return { lines: ['hang'] };
      },
      configmaps,
      () => '99',
    );
    await expect.poll(names).toEqual(['a']);
    expect(requests[0]!.query).toMatchObject({ resourceVersion: '99', resourceVersionMatch: 'NotOlderThan' });
    expect(requests[1]!.query).toMatchObject({ resourceVersion: undefined, resourceVersionMatch: undefined });
  });

  it('follows continue tokens page by page and stamps apiVersion and kind on list items', async () => {
    const { store, requests, names } = start((_req, n) => {
      if (n === 0)
        return { body: { metadata: { resourceVersion: '10', continue: 'next' }, items: [cm('a', '5')] } };
      if (n === 1) return list('10', cm('b', '6'));
      return { lines: ['hang'] };
    });
    await expect.poll(names).toEqual(['a', 'b']);
    expect(requests[1]!.query).toMatchObject({ continue: 'next', resourceVersion: undefined });
    const objs = heldObjects(store.getState().kates);
    expect(objs.every((o) => o.apiVersion === 'v1' && o.kind === 'ConfigMap')).toBe(true);
  });

  it('asks for the next page before it parses and dispatches the page it has', async () => {
    const { store, requests, names } = start((_req, n) => {
      if (n === 0)
        return { body: { metadata: { resourceVersion: '10', continue: 'p2' }, items: [cm('a', '5')] } };
      if (n === 1)
        return { body: { metadata: { resourceVersion: '10', continue: 'p3' }, items: [cm('b', '6')] } };
      if (n === 2) return list('10', cm('c', '7'));
      return { lines: ['hang'] };
    });
    const requestsAtPage: number[] = [];
    store.subscribe(() => {
      const pending = store.getState().kates.reflectors[key]?.relist;
      if (pending && pending.size > requestsAtPage.length) requestsAtPage.push(requests.length);
    });
    await expect.poll(names).toEqual(['a', 'b', 'c']);
    // Page 1 was dispatched with page 2 already asked for, page 2 with page 3.
    expect(requestsAtPage.slice(0, 2)).toEqual([2, 3]);
    expect(requests.slice(0, 3).map((r) => r.query?.continue)).toEqual([undefined, 'p2', 'p3']);
  });

  it('parses a page once the next page has been sent, without waiting for its answer', async () => {
    let send: () => void = () => undefined;
    let answer: () => void = () => undefined;
    const { store, requests, names } = start(
      (_req, n) => {
        if (n === 0)
          return { body: { metadata: { resourceVersion: '10', continue: 'p2' }, items: [cm('a', '5')] } };
        if (n === 1) return list('10', cm('b', '6'));
        return { lines: ['hang'] };
      },
      configmaps,
      undefined,
      (scripted) => ({
        ...scripted,
        async request(req) {
          if (req.query?.continue) {
            // Written to the connection when the test says, answered when the test says after that.
            await new Promise<void>((resolve) => {
              send = resolve;
            });
            req.onSent?.();
            await new Promise<void>((resolve) => {
              answer = resolve;
            });
          }
          return scripted.request(req);
        },
      }),
    );
    const pagesIn = () => store.getState().kates.reflectors[key]?.relist?.pages.length ?? 0;
    await expect.poll(() => requests.length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The second page is asked for, not yet sent: the first waits, unparsed.
    expect(pagesIn()).toBe(0);
    send();
    // Sent, not answered: the first page is parsed and stored meanwhile.
    await expect.poll(pagesIn).toBe(1);
    expect(requests.length).toBe(1);
    answer();
    await expect.poll(names).toEqual(['a', 'b']);
  });

  it('lists again from etcd when a continue token expires in the middle of a list', async () => {
    const { requests, names, reflectorState } = start((_req, n) => {
      if (n === 0)
        return { body: { metadata: { resourceVersion: '10', continue: 'old' }, items: [cm('a', '5')] } };
      if (n === 1)
        return { status: 410, body: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old' } };
      if (n === 2) return list('30', cm('a', '25'), cm('b', '26'));
      return { lines: ['hang'] };
    });
    await expect.poll(names).toEqual(['a', 'b']);
    expect(requests[2]!.query).toMatchObject({ continue: undefined, resourceVersion: undefined });
    expect(reflectorState().resourceVersion).toBe('30');
  });

  it('relists consistently after a 410 ERROR event inside a 200 stream, and drops what the new list lacks', async () => {
    const { requests, names, reflectorState } = start((_req, n) => {
      if (n === 0) return list('10', cm('a', '5'), cm('b', '6'));
      if (n === 1)
        return {
          lines: [line('ERROR', { kind: 'Status', code: 410, reason: 'Expired', message: 'too old' })],
        };
      if (n === 2) return list('20', cm('a', '15'));
      return { lines: ['hang'] };
    });
    await expect.poll(names).toEqual(['a']);
    expect(requests[2]!.query).toMatchObject({ resourceVersion: undefined });
    expect(reflectorState().counters.relists).toBe(1);
  });

  it('relists after a 410 Gone answered as an HTTP status', async () => {
    const { names } = start((_req, n) => {
      if (n === 0) return list('10', cm('a', '5'));
      if (n === 1) return { status: 410, body: { kind: 'Status', code: 410, reason: 'Gone' } };
      if (n === 2) return list('20', cm('c', '19'));
      return { lines: ['hang'] };
    });
    await expect.poll(names).toEqual(['c']);
  });

  it('re-watches from the same resourceVersion after a 500, backing off, and reports it as data', async () => {
    const { requests, reflectorState } = start((_req, n) => {
      if (n === 0) return list('10');
      if (n === 1) return { status: 500, body: { kind: 'Status', code: 500, message: 'etcd unavailable' } };
      return { lines: [line('ADDED', cm('a', '11')), 'hang'] };
    });
    await expect.poll(() => reflectorState().counters.events).toBe(1);
    expect(requests[2]!.query).toMatchObject({ watch: true, resourceVersion: '10' });
    expect(reflectorState().counters.reconnects).toBe(1);
    expect(reflectorState().phase).toBe('watching');
  });

  it('honours Retry-After on 429', async () => {
    const times: number[] = [];
    start((_req, n) => {
      times.push(Date.now());
      if (n === 0) return list('10');
      if (n === 1)
        return {
          status: 429,
          headers: { 'retry-after': '1' },
          body: { code: 429, reason: 'TooManyRequests' },
        };
      return { lines: ['hang'] };
    });
    await expect.poll(() => times.length, { timeout: 3000 }).toBe(3);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(990);
  });

  it('counts a watch that closes at once with no events as a failure', async () => {
    const { reflectorState } = start((_req, n) => (n === 0 ? list('10') : { lines: [] }));
    await expect.poll(() => reflectorState().counters.reconnects).toBeGreaterThanOrEqual(2);
    expect(reflectorState().error?.message).toMatch(/closed at once with no events/);
  });

  it('reports poison lines with their text cut short, skips them, and goes on', async () => {
    const { names, reflectorState } = start((_req, n) =>
      n === 0
        ? list('10')
        : {
            lines: [
              '{not json',
              line('ADDED', { metadata: { name: 'no-uid' } }),
              line('ADDED', cm('a', '11')),
              'hang',
            ],
          },
    );
    await expect.poll(names).toEqual(['a']);
    expect(reflectorState().counters.poisonLines).toBe(2);
    expect(reflectorState().lastPoisonLine).toMatch(/object without metadata.uid/);
  });

  it('never shows the text of a poison line from a Secret watch', async () => {
    const { reflectorState } = start(
      (_req, n) =>
        n === 0
          ? list('10')
          : { lines: ['{"type":"ADDED","object":{"data":{"password":"aHVudGVyMg=="', 'hang'] },
      secrets,
    );
    await expect.poll(() => reflectorState().counters.poisonLines).toBe(1);
    expect(reflectorState().lastPoisonLine).not.toMatch(/aHVudGVyMg/);
  });

  it('drops a stalled watch after its inactivity timeout and watches again', async () => {
    const { requests } = start((_req, n) => (n === 0 ? list('10') : { lines: ['hang'] }));
    await expect.poll(() => requests.length, { timeout: 3000 }).toBeGreaterThanOrEqual(3);
    expect(requests.at(-1)!.query).toMatchObject({ resourceVersion: '10' });
  });

  it('keeps a watch whose lines come more often than its inactivity timeout, and drops it once they stop', async () => {
    vi.useFakeTimers();
    try {
      // Inactivity timeout 400 ms (see start()); a line every 300 ms for 900 ms, then silence.
      const { requests, names } = start((_req, n) =>
        n === 0
          ? list('10')
          : n === 1
            ? {
                lines: [
                  line('ADDED', cm('a', '11')),
                  300,
                  line('ADDED', cm('b', '12')),
                  300,
                  line('ADDED', cm('c', '13')),
                  300,
                  line('ADDED', cm('d', '14')),
                  'hang',
                ],
              }
            : { lines: ['hang'] },
      );
      await vi.advanceTimersByTimeAsync(1200);
      expect(names()).toEqual(['a', 'b', 'c', 'd']);
      expect(requests).toHaveLength(2);
      // 400 ms after the last line, the watch is dropped and made again from its last version.
      await vi.advanceTimersByTimeAsync(400);
      expect(requests).toHaveLength(3);
      expect(requests[2]!.query).toMatchObject({ watch: true, resourceVersion: '14' });
    } finally {
      vi.useRealTimers();
    }
  });

  /**
   * A watch over a stream the test writes to, read by the transport adapter as the Node transport
   * reads its body, with the sizes of the watch-event actions dispatched, each followed by
   * `consumerBusyMs` of a consumer's work. `inPhase` makes reads
   * in callbacks of one phase of the loop (the check phase), with no idle time between, then
   * looks at what was dispatched before that phase ended.
   */
  async function streamedWatch(consumerBusyMs = 0, maxBatch?: number) {
    const store = storeWithWatch();
    const batches: number[] = [];
    const dispatch = (action: { type: string; payload?: { events?: unknown[] } }) => {
      if (action.type !== 'kates/watchEvents') return store.dispatch(action as never);
      batches.push(action.payload?.events?.length ?? 0);
      const result = store.dispatch(action as never);
      // A consumer woken by the change, busy with its update before the next read is taken.
      const until = performance.now() + consumerBusyMs;
      while (performance.now() < until);
      return result;
    };
    let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
    const answer = { headers: { forEach() {} }, status: 200 };
    const transport = {
      server: 'https://stream.invalid',
      async request(req: { query?: Record<string, unknown> }) {
        if (!req.query?.watch) {
          const body = JSON.stringify({ metadata: { resourceVersion: '10' }, items: [] });
          return transportResponse(
            { ...answer, text: async () => body },
            () => undefined,
            (e) => e as Error,
          );
        }
        const stream = new ReadableStream<Uint8Array>({
          start(c) {
            controller ??= c;
          },
        });
        return transportResponse(
          { ...answer, text: async () => '' },
          () => stream as unknown as AsyncIterable<Uint8Array>,
          (e) => e as Error,
        );
      },
    };
    const reflector = new Reflector(
      transport,
      dispatch,
      { key, resource: configmaps, labelSelector: '', fieldSelector: '' },
      { initialList: 'list', ...(maxBatch ? { maxBatch } : {}) },
    );
    running.push(reflector);
    void reflector.start();
    await expect.poll(() => controller).toBeDefined();
    const enc = new TextEncoder();
    let rv = 11;
    return {
      batches,
      held: () => heldObjects(store.getState().kates).length,
      /** One read of the body: a line for each name. */
      read(...names: string[]) {
        controller!.enqueue(enc.encode(names.map((n) => `${line('ADDED', cm(n, String(rv++)))}\n`).join('')));
      },
      /**
       * Reads, each in its own callback of one phase of the loop as sockets' data callbacks are;
       * resolves with the sizes of the actions dispatched by the end of that phase.
       */
      inPhase(...reads: string[][]): Promise<number[]> {
        for (const names of reads) setImmediate(() => this.read(...names));
        return new Promise((r) => setImmediate(() => r([...batches])));
      },
      /**
       * Reads, one in each of consecutive turns of the loop with no idle time between, as a burst
       * the server writes faster than the loop turns; resolves with the sizes of the actions
       * dispatched by the turn after the last read.
       */
      inTurns(...reads: string[][]): Promise<number[]> {
        return new Promise((resolve) => {
          const turn = (i: number) =>
            setImmediate(() => {
              if (i === reads.length) return resolve([...batches]);
              this.read(...reads[i]!);
              turn(i + 1);
            });
          turn(0);
        });
      },
      /** Lets every turn of the loop end, the loop idle meanwhile. */
      settle: () => new Promise((r) => setTimeout(r, 20)),
    };
  }

  it('dispatches the read the process was waiting for at once, before the loop ends its turn', async () => {
    const w = await streamedWatch();
    expect(await w.inPhase(['a', 'b'])).toEqual([2]);
    expect(w.held()).toBe(2);
    // After the loop waited again.
    await w.settle();
    expect(await w.inPhase(['c'])).toEqual([2, 1]);
  });

  it('keeps lines that arrive in separate reads of one turn of the event loop in one action', async () => {
    // Dispatching each read as soon as its lines are parsed (tried for issue 18) split these:
    // under load a consumer then woke about twice as often for the same events, and its latency
    // grew. Only a read the process waited for goes at once.
    const w = await streamedWatch(5);
    // Three reads in one phase of the loop: the first was waited for, the others come behind it
    // with the loop busy (a consumer's update of 5 ms among them, so that they come well apart),
    // and go together once the loop's turn ends.
    expect(await w.inPhase(['a'], ['b'], ['c', 'd'])).toEqual([1]);
    await w.settle();
    expect(w.batches).toEqual([1, 3]);
    expect(w.held()).toBe(4);
  });

  it('keeps the reads of a burst in one action while every turn of the loop brings another', async () => {
    // One action a turn woke a consumer that keeps up 3 to 7 times for a burst of 1001 events.
    const w = await streamedWatch();
    // The first read was waited for and goes at once; the burst behind it, a read a turn, is
    // kept while it goes on, and goes as one action after the first turn without a read.
    expect(await w.inTurns(['a'], ['b'], ['c'], ['d', 'e'])).toEqual([1]);
    await w.settle();
    expect(w.batches).toEqual([1, 4]);
    expect(w.held()).toBe(5);
  });

  it('dispatches one action a turn where the runtime does not measure the loop (browsers)', async () => {
    // A browser's timers clamp a re-deferred flush to 4 ms, so a steady stream would be held
    // until maxBatch: there reads go one action a turn, none at once.
    const w = await streamedWatch();
    // Node's performance (the DOM's type has no nodeTiming), its loop's idle time unmeasured.
    const timing = (performance as unknown as { nodeTiming: { idleTime: number | undefined } }).nodeTiming;
    const idle = vi.spyOn(timing, 'idleTime', 'get').mockReturnValue(undefined);
    try {
      expect(await w.inTurns(['a'], ['b'], ['c'])).toEqual([2]);
      await w.settle();
      expect(w.batches).toEqual([2, 1]);
    } finally {
      idle.mockRestore();
    }
  });

  it('dispatches a batch that reaches maxBatch without waiting for the burst to end', async () => {
    const w = await streamedWatch(0, 2);
    expect(await w.inTurns(['a'], ['b'], ['c'], ['d'], ['e'], ['f'])).toEqual([1, 2, 2]);
    await w.settle();
    expect(w.batches).toEqual([1, 2, 2, 1]);
    expect(w.held()).toBe(6);
  });

  it('reports 403 as forbidden and retries slowly', async () => {
    const { reflectorState, requests } = start((_req, n) =>
      n === 0
        ? { status: 403, body: { code: 403, reason: 'Forbidden', message: 'configmaps is forbidden' } }
        : n === 1
          ? list('10')
          : { lines: ['hang'] },
    );
    await expect.poll(() => reflectorState().phase).toBe('watching');
    expect(requests.length).toBeGreaterThanOrEqual(2);
    expect(reflectorState().counters.reconnects).toBe(1);
  });

  it('reports a 403 to its list as forbidden, naming the list and what to check', async () => {
    const { reflectorState } = start(() => ({
      status: 403,
      body: { kind: 'Status', code: 403, reason: 'Forbidden', message: 'configmaps is forbidden' },
    }));
    await expect.poll(() => reflectorState().phase).toBe('forbidden');
    expect(reflectorState().error).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message:
        'list configmaps: 403 Forbidden: configmaps is forbidden (the kubeconfig user lacks RBAC permission for this verb: check `kubectl auth can-i`)',
    });
  });

  it('retries a watch answered 404 (its CRD removed) slowly, from the same resourceVersion', async () => {
    const { reflectorState, requests } = start((_req, n) =>
      n === 0
        ? list('10')
        : n === 1
          ? { status: 404, body: '404 page not found' }
          : { lines: [line('ADDED', cm('a', '11')), 'hang'] },
    );
    await expect.poll(() => reflectorState().counters.events).toBe(1);
    expect(reflectorState().counters.reconnects).toBe(1);
    expect(requests[2]!.query).toMatchObject({ watch: true, resourceVersion: '10' });
  });

  it('reports a 404 to its watch as unserved while it lasts', async () => {
    const { reflectorState } = start((_req, n) =>
      n === 0 ? list('10') : { status: 404, body: '404 page not found' },
    );
    await expect.poll(() => reflectorState().phase).toBe('unserved');
    expect(reflectorState().error).toMatchObject({ code: 404, reason: 'NotFound' });
  });

  it('makes a streaming list that ends at the initial-events-end bookmark, then goes on watching', async () => {
    const store = storeWithWatch();
    const { transport, requests } = scriptedTransport(() => ({
      lines: [
        line('ADDED', cm('a', '5')),
        line('ADDED', cm('b', '6')),
        line('BOOKMARK', {
          metadata: { resourceVersion: '10', annotations: { 'k8s.io/initial-events-end': 'true' } },
        }),
        line('MODIFIED', cm('a', '11')),
        'hang',
      ],
    }));
    const r = new Reflector(
      transport,
      store.dispatch,
      { key, resource: configmaps, labelSelector: '', fieldSelector: '' },
      { initialList: 'stream' },
    );
    running.push(r);
    void r.start();
    await expect.poll(() => store.getState().kates.reflectors[key]?.resourceVersion).toBe('11');
    expect(store.getState().kates.reflectors[key]?.synced).toBe(true);
    expect(requests[0]!.query).toMatchObject({
      sendInitialEvents: true,
      resourceVersionMatch: 'NotOlderThan',
    });
  });

  describe('by default (initialList auto)', () => {
    const endOfInitialEvents = line('BOOKMARK', {
      metadata: { resourceVersion: '30', annotations: { 'k8s.io/initial-events-end': 'true' } },
    });
    /** The first LIST page, of `a`, that says `remaining` objects follow (or does not say, if undefined). */
    const firstPage = (remaining: number | undefined): ScriptedAnswer => ({
      body: {
        metadata: {
          resourceVersion: '20',
          continue: 'next',
          ...(remaining === undefined ? {} : { remainingItemCount: remaining }),
        },
        items: [cm('a', '5')],
      },
    });
    const server =
      (remaining: number | undefined) =>
      (req: { query?: Record<string, unknown> }): ScriptedAnswer => {
        if (req.query?.sendInitialEvents)
          return { lines: [line('ADDED', cm('z', '9')), endOfInitialEvents, 'hang'] };
        if (req.query?.watch) return { lines: ['hang'] };
        return req.query?.continue ? list('20', cm('b', '6')) : firstPage(remaining);
      };
    const held = (store: KatesStore) => () =>
      heldObjects(store.getState().kates)
        .map((o) => o.metadata?.name)
        .sort();
    const kinds = (requests: { query?: Record<string, unknown> }[]) =>
      requests.map((r) =>
        r.query?.sendInitialEvents
          ? 'stream'
          : r.query?.watch
            ? 'watch'
            : `${r.query?.continue ? 'page' : 'list'} of ${r.query?.limit}`,
      );

    it('lists a collection of up to ten pages on from its first page', async () => {
      // A first page (of 2,000: the script sends one, the reflector counts the page it asked for)
      // and 18,000 after it: ten pages.
      const { store, requests, dropped } = startStreaming(server(18_000), {});
      await expect.poll(held(store)).toEqual(['a', 'b']);
      expect(dropped).toEqual([]);
      await expect.poll(() => requests.length).toBe(3);
      expect(kinds(requests)).toEqual(['list of 2000', 'page of 2000', 'watch']);
      expect(requests[1]!.query).toMatchObject({ continue: 'next' });
      expect(requests[2]!.query).toMatchObject({ resourceVersion: '20' });
    });

    it('lists a collection that fits in its first page in one request', async () => {
      const { store, requests } = startStreaming((req) => {
        if (req.query?.watch) return { lines: ['hang'] };
        return list('20', cm('a', '5'), cm('b', '6'));
      }, {});
      await expect.poll(held(store)).toEqual(['a', 'b']);
      await expect.poll(() => requests.length).toBe(2);
      expect(kinds(requests)).toEqual(['list of 2000', 'watch']);
    });

    it('streams a collection of more than ten pages, and stores nothing of the page that told its size', async () => {
      const { store, requests, dropped } = startStreaming(server(18_001), {});
      await expect.poll(held(store)).toEqual(['z']);
      expect(kinds(requests)).toEqual(['list of 2000', 'stream']);
      expect(store.getState().kates.reflectors[key]?.resourceVersion).toBe('30');
      // Read only as far as its head.
      expect(dropped).toEqual([0]);
    });

    it('streams a collection of few large objects, judged by the first items of its first page', async () => {
      // Items of about 10 KB: a first page and 3,000 more make some 50 MB of JSON, past 40 MiB
      // (42 MB); with 1,000 more, some 30 MB.
      const large = (name: string) => ({ ...cm(name, '5'), data: { blob: 'x'.repeat(10_000) } });
      const bigServer = (remaining: number) => (req: { query?: Record<string, unknown> }) => {
        const answer = server(remaining)(req);
        return req.query?.watch || req.query?.continue
          ? answer
          : { body: { ...(answer.body as object), items: [large('a')] } };
      };
      const streamed = startStreaming(bigServer(3000), {});
      await expect.poll(held(streamed.store)).toEqual(['z']);
      expect(kinds(streamed.requests)).toEqual(['list of 2000', 'stream']);
      // Read only as far as its first item.
      expect(streamed.dropped).toEqual([0]);
      const listed = startStreaming(bigServer(1000), {});
      await expect.poll(held(listed.store)).toEqual(['a', 'b']);
      expect(kinds(listed.requests).slice(0, 2)).toEqual(['list of 2000', 'page of 2000']);
    });

    it('lists a collection of large objects that fits in its first page, and streams one of huge objects', async () => {
      const single = (...items: unknown[]) =>
        startStreaming((req) => {
          if (req.query?.sendInitialEvents)
            return { lines: [line('ADDED', cm('z', '9')), endOfInitialEvents, 'hang'] };
          if (req.query?.watch) return { lines: ['hang'] };
          return list('20', ...items);
        }, {});
      const blob = (name: string, size: number) => ({ ...cm(name, '5'), data: { blob: 'x'.repeat(size) } });
      const listed = single(blob('a', 30_000), blob('b', 30_000), blob('c', 30_000));
      await expect.poll(held(listed.store)).toEqual(['a', 'b', 'c']);
      expect(kinds(listed.requests)).toEqual(['list of 2000', 'watch']);
      // No item ends in the first 60,000 characters: a page of 2,000 such could not be one string.
      const streamed = single(blob('a', 70_000));
      await expect.poll(held(streamed.store)).toEqual(['z']);
      expect(kinds(streamed.requests)).toEqual(['list of 2000', 'stream']);
    });

    it('judges the whole page where the transport cannot stop at its head', async () => {
      const wholeOnly = (remaining: number) => (req: { query?: Record<string, unknown> }) => ({
        ...server(remaining)(req),
        wholeOnly: true,
      });
      const streamed = startStreaming(wholeOnly(18_001), {});
      await expect.poll(held(streamed.store)).toEqual(['z']);
      expect(kinds(streamed.requests)).toEqual(['list of 2000', 'stream']);
      expect(streamed.dropped).toEqual([]);
      const listed = startStreaming(wholeOnly(18_000), {});
      await expect.poll(held(listed.store)).toEqual(['a', 'b']);
    });

    it('counts pages of its own size', async () => {
      const small = startStreaming(server(900), { pageSize: 100 });
      await expect.poll(held(small.store)).toEqual(['a', 'b']);
      expect(kinds(small.requests).slice(0, 2)).toEqual(['list of 100', 'page of 100']);
      const large = startStreaming(server(901), { pageSize: 100 });
      await expect.poll(held(large.store)).toEqual(['z']);
      expect(kinds(large.requests).slice(0, 2)).toEqual(['list of 100', 'stream']);
    });

    it('lists a collection whose size the server does not say (a label or field selector)', async () => {
      const { store, requests } = startStreaming(server(undefined), {});
      await expect.poll(held(store)).toEqual(['a', 'b']);
      expect(requests.some((r) => r.query?.sendInitialEvents)).toBe(false);
    });

    it('lists a large collection after all where the server refuses the streaming list', async () => {
      const { store, requests } = startStreaming((req) => {
        if (req.query?.sendInitialEvents)
          return { status: 422, body: { kind: 'Status', code: 422, reason: 'Invalid', message: 'no' } };
        return server(100_000)(req);
      }, {});
      await expect.poll(held(store)).toEqual(['a', 'b']);
      expect(kinds(requests).slice(0, 4)).toEqual(['list of 2000', 'stream', 'list of 2000', 'page of 2000']);
    });
  });

  it('falls back to a list, for good, where the server refuses a streaming list', async () => {
    const { store, requests } = startStreaming(
      (req, n) => {
        if (req.query?.sendInitialEvents) {
          return {
            status: 422,
            body: { kind: 'Status', code: 422, reason: 'Invalid', message: 'sendInitialEvents is forbidden' },
          };
        }
        if (!req.query?.watch) return list('10', cm('a', '5'));
        // The watch ends at once: the next attempt must not stream again.
        return n < 4 ? { lines: [] } : { lines: ['hang'] };
      },
      { initialList: 'stream', backoff: { initialMs: 1, maxMs: 2, random: () => 0 }, minWatchMs: 0 },
    );
    await expect.poll(() => store.getState().kates.reflectors[key]?.synced).toBe(true);
    await expect.poll(() => requests.length).toBeGreaterThan(3);
    expect(requests.filter((q) => q.query?.sendInitialEvents)).toHaveLength(1);
  });

  it('falls back to a list, for good, where the server ignores sendInitialEvents and watches plainly', async () => {
    const { store, requests } = startStreaming((req) => {
      if (req.query?.sendInitialEvents) {
        // An old server: synthetic ADDED events, then changes, and never the annotated bookmark.
        return { lines: [line('ADDED', cm('a', '5')), line('MODIFIED', cm('a', '7')), 'hang'] };
      }
      if (!req.query?.watch) return list('10', cm('a', '9'), cm('b', '6'));
      return { lines: ['hang'] };
    });
    await expect
      .poll(() =>
        heldObjects(store.getState().kates)
          .map((o) => `${o.metadata?.name}@${o.metadata?.resourceVersion}`)
          .sort(),
      )
      .toEqual(['a@9', 'b@6']);
    expect(store.getState().kates.reflectors[key]?.synced).toBe(true);
    expect(requests.filter((q) => q.query?.sendInitialEvents)).toHaveLength(1);
    expect(requests.some((q) => !q.query?.watch)).toBe(true);
  });

  it("resumes a streaming list's watch after a dropped connection, without listing again", async () => {
    const { store, requests } = startStreaming(
      (_req, n) => {
        if (n === 0)
          return {
            lines: [
              line('ADDED', cm('a', '5')),
              line('BOOKMARK', {
                metadata: { resourceVersion: '10', annotations: { 'k8s.io/initial-events-end': 'true' } },
              }),
              line('MODIFIED', cm('a', '12')),
              'drop',
            ],
          };
        return { lines: ['hang'] };
      },
      { initialList: 'stream', backoff: { initialMs: 1, maxMs: 2, random: () => 0 } },
    );
    await expect.poll(() => requests.length).toBe(2);
    expect(requests[1]!.query).toMatchObject({ watch: true, resourceVersion: '12' });
    expect(requests[1]!.query!.sendInitialEvents).toBeUndefined();
    expect(store.getState().kates.reflectors[key]?.counters.relists).toBe(0);
  });
});
