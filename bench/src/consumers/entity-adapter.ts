import { createNodeTransport, type KubernetesObject, katesActions } from '@kates/core';
import { Reflector } from '@kates/core/internal';
import { KubeConfig } from '@kubernetes/client-node';
import { createEntityAdapterStore, entityAdapterDispatch } from '../micro/entity-adapter.js';
import { RESOURCES } from '../resources.js';
import { nowMicros, settledHeap, timedRead } from '../stats.js';
import { type ConsumerConfig, type ConsumerLine, emitBootstrapped, PhaseTracker, sleep } from './protocol.js';

/**
 * The internal baseline: the kates Reflector (same transport, parse and batching) writing into a
 * Redux Toolkit entity adapter, one `setOne`/`removeOne` per event, read with its sorted
 * `selectAll`. Change signals are coalesced the way kates does it (a level: one turn per burst).
 */
export async function runEntityAdapter(
  config: ConsumerConfig,
  emit: (line: ConsumerLine) => void,
): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(config.kubeconfig);
  const transport = createNodeTransport(kc);
  const ea = createEntityAdapterStore();
  let synced = false;
  let dirty = false;
  let wake: (() => void) | undefined;
  let pending: KubernetesObject[] = [];
  const onChange = () => {
    dirty = true;
    wake?.();
  };
  const forward = entityAdapterDispatch(ea, onChange);
  const dispatch = (action: { type: string }) => {
    if (katesActions.listCompleted.match(action)) synced = true;
    if (katesActions.watchEvents.match(action))
      for (const ev of action.payload.events) pending.push(ev.object);
    return forward(action);
  };
  const signal = async () => {
    while (!dirty || !synced)
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    wake = undefined;
    dirty = false;
  };
  const reflector = new Reflector(transport, dispatch, {
    key: 'bench',
    resource: RESOURCES[config.kind],
    namespace: config.namespace,
    labelSelector: '',
    fieldSelector: '',
  });
  try {
    const baseHeap = settledHeap();
    const t0 = performance.now();
    void reflector.start();
    await signal();
    const items = ea.snapshot();
    const ms = performance.now() - t0;
    pending = [];
    emitBootstrapped(config, emit, ms, items, baseHeap);
    if (config.phases.length === 0) return;
    const tracker = new PhaseTracker(config, emit);
    for (;;) {
      await signal();
      const signalled = nowMicros();
      const changed = pending;
      pending = [];
      const read = timedRead(() => ea.snapshot());
      if (tracker.signal(signalled, changed, () => read.value, read)) break;
      if (config.reconcileMs > 0) await sleep(config.reconcileMs);
    }
    tracker.stop();
  } finally {
    await reflector.stop();
    transport.close();
  }
}
