import {
  createKatesStore,
  createNodeTransport,
  type Delta,
  dropManagedFields,
  type KubernetesObject,
} from '@kates/core';
import { createAccumulator, createWatchHost } from '@kates/core/internal';
import { KubeConfig } from '@kubernetes/client-node';
import { resolveBenchKind } from '../resources.js';
import { nextTurn, nowMicros, settledHeap, timedRead } from '../stats.js';
import { type ConsumerConfig, type ConsumerLine, emitBootstrapped, PhaseTracker, sleep } from './protocol.js';

/**
 * kates-ts: an accumulator over one query, as a controller writes it: wait for the change signal,
 * `updateWithDeltas(snapshot)`, reconcile, again.
 */
export async function runKates(config: ConsumerConfig, emit: (line: ConsumerLine) => void): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(config.kubeconfig);
  // `kates-plain`: as a kubeconfig with `disable-compression: true` has it.
  const transport = createNodeTransport(kc, { compression: config.peer !== 'kates-plain' });
  const store = createKatesStore();
  const host = createWatchHost(
    transport,
    store,
    resolveBenchKind,
    config.peer === 'kates-dropmf'
      ? { transform: dropManagedFields }
      : config.peer === 'kates-list'
        ? { initialList: 'list' }
        : config.peer === 'kates-stream'
          ? { initialList: 'stream' }
          : {},
  );
  const baseHeap = settledHeap();
  const t0 = performance.now();
  const acc = createAccumulator(
    host,
    [{ name: 'objects', kind: config.kind as string, namespace: config.namespace }],
    // kates' default signal: no clock, the consumer's pace is the throttle (issue 18). The 50 ms
    // of `config.intervalMs` is Go kates' own interval.
    {},
  );
  const snapshot: { objects?: readonly KubernetesObject[] } = {};
  try {
    await acc.changed();
    acc.update(snapshot);
    const ms = performance.now() - t0;
    const items = snapshot.objects ?? [];
    // The heap after a turn: with the copy kates makes on it.
    await nextTurn();
    emitBootstrapped(config, emit, ms, items, baseHeap);
    if (config.phases.length === 0) return;
    const tracker = new PhaseTracker(config, emit);
    const deltas: Delta[] = [];
    // `await acc.changed()`, the level itself: each turn reads everything there is with
    // `updateWithDeltas`. (`for await` gives the same turns: a change that arrives during a turn
    // gets a turn of its own, signal.test.ts.)
    for (;;) {
      await acc.changed();
      const signalled = nowMicros();
      const read = timedRead(() => acc.updateWithDeltas(snapshot, deltas));
      if (
        tracker.signal(
          signalled,
          deltas.map((d) => d.object),
          () => snapshot.objects ?? [],
          read,
        )
      )
        break;
      if (config.reconcileMs > 0) await sleep(config.reconcileMs);
    }
    tracker.stop();
  } finally {
    acc.close();
    await host.watches.stopAll();
    transport.close();
  }
}
