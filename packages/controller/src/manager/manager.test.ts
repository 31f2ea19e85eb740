import { EventEmitter } from 'node:events';
import { createClient } from '@kates/core';
import { startFakeApiServer } from '@kates/testing';
import { register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock.js';
import { seriesValue } from '../metrics/__fixtures__/read.js';
import type { LeaderElection, Leadership } from './leadership.js';
import { Manager } from './manager.js';
import { onShutdownSignals, type SignalSource } from './signals.js';

async function settle(rounds = 30): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

/** A stand-in for `process` that a test can send signals through. */
function signals(): SignalSource & { send(signal: NodeJS.Signals): void } {
  const emitter = new EventEmitter();
  return {
    on: (s, l) => emitter.on(s, l),
    off: (s, l) => emitter.off(s, l),
    send: (s) => emitter.emit(s),
  };
}

/** A leader election the test decides. */
function election() {
  let win: (l: Leadership) => void = () => {};
  let decided = false;
  const term = new AbortController();
  const log: string[] = [];
  const elect: LeaderElection = Object.assign(
    ({ signal }: { signal: AbortSignal }) =>
      new Promise<Leadership>((resolve, reject) => {
        win = resolve;
        signal.addEventListener('abort', () => reject(new Error('stopped while standing by')));
      }),
    { decided: () => decided },
  );
  return {
    elect,
    log,
    term,
    decide: () => {
      decided = true;
    },
    lead: () => {
      decided = true;
      win({
        signal: term.signal,
        release: async () => {
          log.push('lease released');
          term.abort();
        },
      });
    },
  };
}

const quiet = () => {};

describe('the manager', () => {
  it('serves metrics and probes from a registry of its own, ready once its accumulators have listed', async () => {
    const server = await startFakeApiServer();
    const client = createClient({ kubeconfig: server.kubeconfigPath });
    const manager = new Manager({ server: { port: 0 }, signals: false, log: quiet });
    try {
      const url = (await manager.listen()) as string;
      let standInReady = false;
      manager.watch('stand-in', {
        get ready() {
          return standInReady;
        },
        status: () => ({}),
        close: () => {},
      });
      const acc = manager.watch('main', client.watch({ name: 'configmaps', kind: 'cm' }));
      manager.controller({ name: 'routes', reconcile: () => {} });
      const running = manager.start();
      const readyz = async () =>
        fetch(`${url}/readyz?verbose`).then(async (r) => [r.status, await r.text()] as const);
      const [status, text] = await readyz();
      expect(status).toBe(500);
      expect(text).toContain(
        '[-]watches-synced failed: waiting for the first list of accumulator "stand-in"',
      );
      for await (const _ of acc) break;
      standInReady = true;
      expect((await readyz())[0]).toBe(200);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toContain('workqueue_depth{name="routes",controller="routes"} 0');
      expect(metrics).toContain('kates_query_synced{accumulator="main",query="configmaps"} 1');
      expect(metrics).toContain('process_cpu_seconds_total');
      expect(await globalRegistry.getSingleMetric('workqueue_depth')).toBeUndefined();
      const report = await manager.stop('test over');
      expect(await running).toBe(report);
      expect(report).toMatchObject({ reason: 'test over', finished: true, abandoned: [], released: false });
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    } finally {
      await manager.stop();
      client.close();
      await server.stop();
    }
  });

  it('starts its controllers only once it leads, and is ready once the election has decided', async () => {
    const e = election();
    const manager = new Manager({
      server: false,
      signals: false,
      leaderElection: e.elect,
      processMetrics: false,
      log: quiet,
    });
    const reconciled: string[] = [];
    const controller = manager.controller({
      name: 'routes',
      reconcile: ({ key }) => void reconciled.push(key),
    });
    controller.add('ns/a');
    const running = manager.start();
    await settle();
    expect(reconciled).toEqual([]);
    expect((await manager.probes.run('readyz', { only: 'leader-election' }))?.ok).toBe(false);
    e.decide();
    expect((await manager.probes.run('readyz', { only: 'leader-election' }))?.ok).toBe(true);
    e.lead();
    await settle();
    expect(manager.leading).toBe(true);
    expect(reconciled).toEqual(['ns/a']);
    // A controller added while leading starts at once.
    const late: string[] = [];
    manager.controller({ name: 'late', reconcile: ({ key }) => void late.push(key) }).add('x');
    await settle();
    expect(late).toEqual(['x']);
    const report = await manager.stop();
    expect(report.released).toBe(true);
    expect(await running).toBe(report);
  });

  it('stops waiting to lead when it is stopped while standing by', async () => {
    const e = election();
    const manager = new Manager({
      server: false,
      signals: false,
      leaderElection: e.elect,
      processMetrics: false,
      log: quiet,
    });
    const running = manager.start();
    await settle();
    const report = await manager.stop('rollout');
    expect(await running).toBe(report);
    expect(report).toMatchObject({ reason: 'rollout', released: false, finished: true });
  });

  it('shuts down on SIGTERM in order: in-flight work finishes, Events are written, the lease is released, watches close', async () => {
    const e = election();
    const source = signals();
    const order: string[] = [];
    const manager = new Manager({
      server: false,
      signalSource: source,
      leaderElection: e.elect,
      processMetrics: false,
      log: (line) => order.push(`log: ${line}`),
    });
    let finish = () => {};
    const controller = manager.controller({
      name: 'routes',
      reconcile: ({ key }) =>
        new Promise<void>((resolve) => {
          finish = () => {
            order.push(`reconciled ${key}`);
            resolve();
          };
        }),
    });
    const writes: string[] = [];
    const recorder = manager.eventRecorder({
      client: {
        create: async (o: { reason: string }) => void writes.push(o.reason),
        patch: async () => ({}),
      } as never,
      reportingController: 'example.com/router',
    });
    manager.watch('main', { ready: true, status: () => ({}), close: () => order.push('watches closed') });
    manager.onStop(() => order.push('onStop'));
    const running = manager.start();
    await settle();
    e.lead();
    await settle();
    controller.add('ns/busy');
    controller.add('ns/queued-behind');
    await settle();
    source.send('SIGTERM');
    recorder.event(
      { kind: 'ConfigMap', metadata: { name: 'x', namespace: 'ns' } },
      { type: 'Normal', reason: 'Stopping', action: 'Shutdown' },
    );
    await settle();
    expect((await manager.probes.run('readyz', { only: 'shutdown' }))?.ok).toBe(false);
    expect(order.filter((l) => !l.startsWith('log'))).toEqual([]);
    e.log.length = 0;
    finish();
    const report = await running;
    const steps = order.filter((l) => !l.startsWith('log'));
    expect(steps).toEqual(['reconciled ns/busy', 'watches closed', 'onStop']);
    expect(writes).toEqual(['Stopping']);
    expect(e.log).toEqual(['lease released']);
    expect(report).toMatchObject({
      reason: 'SIGTERM received',
      finished: true,
      abandoned: [],
      released: true,
    });
    expect(order.some((l) => /routes|stopping/.test(l))).toBe(true);
  });

  it('abandons reconciles still running at the deadline and says which', async () => {
    const clock = new FakeClock();
    const manager = new Manager({
      server: false,
      signals: false,
      processMetrics: false,
      clock,
      shutdownTimeoutMs: 30_000,
      log: quiet,
    });
    let aborted = false;
    const controller = manager.controller({
      name: 'routes',
      reconcile: ({ signal }) =>
        new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve();
          }),
        ),
    });
    const running = manager.start();
    await settle();
    controller.add('ns/stuck');
    await settle();
    void manager.stop();
    await settle();
    clock.advance(30_000);
    const report = await running;
    expect(report).toMatchObject({ finished: false, abandoned: ['routes/ns/stuck'], durationMs: 30_000 });
    expect(aborted).toBe(true);
  });

  it('stops when leadership is lost, and fails /healthz if it then does not stop', async () => {
    const clock = new FakeClock();
    const term = new AbortController();
    const manager = new Manager({
      server: false,
      signals: false,
      processMetrics: false,
      clock,
      shutdownTimeoutMs: 1000,
      leaderElection: { signal: term.signal },
      log: quiet,
    });
    manager.onStop(() => new Promise(() => {})); // a cleanup that never ends
    void manager.start();
    await settle();
    expect(manager.leading).toBe(true);
    term.abort();
    await settle();
    expect(manager.leading).toBe(false);
    expect((await manager.probes.run('healthz'))?.ok).toBe(true);
    clock.advance(6001);
    const health = await manager.probes.run('healthz', { only: 'leader-election' });
    expect(health?.checks[0]?.message).toMatch(/leadership was lost 6 s ago and the manager has not stopped/);
  });

  it('serves nothing and waits for no signal when stopped before it started', async () => {
    const source = signals();
    const manager = new Manager({
      server: { port: 0 },
      signalSource: source,
      processMetrics: false,
      log: quiet,
    });
    const report = await manager.stop('never mind');
    expect(await manager.start()).toBe(report);
    expect(await manager.listen()).toBeUndefined();
    expect(report).toMatchObject({ reason: 'never mind', finished: true });
  });

  it('counts the writes of a client it observes in its registry', async () => {
    const server = await startFakeApiServer();
    const manager = new Manager({ server: false, signals: false, processMetrics: false, log: quiet });
    const client = manager.observe(createClient({ kubeconfig: server.kubeconfigPath }));
    manager.onStop(() => client.close());
    try {
      await client.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'a', namespace: 'default' },
      });
      expect(await seriesValue(manager.registry, 'kates_client_writes_total', { verb: 'create' })).toBe(1);
    } finally {
      await manager.stop();
      await server.stop();
    }
  });
});

describe('the shutdown signal handler', () => {
  it('stops on the first signal and forces on the second, until removed', () => {
    const source = signals();
    const calls: string[] = [];
    const remove = onShutdownSignals((s) => calls.push(`stop ${s}`), {
      source,
      force: (s) => calls.push(`force ${s}`),
    });
    source.send('SIGTERM');
    source.send('SIGINT');
    remove();
    source.send('SIGTERM');
    expect(calls).toEqual(['stop SIGTERM', 'force SIGINT']);
  });
});
