import type { KubernetesObject } from '@kates/core';
import { CoreV1Api, KubeConfig, makeInformer } from '@kubernetes/client-node';
import { nowMicros, settledHeap, timedRead } from '../stats.js';
import { type ConsumerConfig, type ConsumerLine, emitBootstrapped, PhaseTracker, sleep } from './protocol.js';

/**
 * The client-node peer, written as its README shows: `makeInformer` with the generated API's
 * unpaginated list function, its ObjectCache read with `list()`.
 *
 * - Bootstrap: the informer has no sync signal; the list function's promise resolving, then the
 *   informer adding every item to its cache (synchronously, right after), is the first snapshot.
 * - Follow: a controller reconciles on each change event and reads the whole cache each time
 *   (`list()`), the O(n) read kates replaces with an incremental snapshot. With a slow reconcile,
 *   the best a controller can do by hand: a dirty flag, one reconcile at a time.
 */
export async function runClientNode(
  config: ConsumerConfig,
  emit: (line: ConsumerLine) => void,
): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(config.kubeconfig);
  const api = kc.makeApiClient(CoreV1Api);
  const namespace = config.namespace;
  let listed: () => void = () => {};
  const listDone = new Promise<void>((resolve) => {
    listed = resolve;
  });
  const listFn = async () => {
    const list =
      config.kind === 'Pod'
        ? await api.listNamespacedPod({ namespace })
        : await api.listNamespacedConfigMap({ namespace });
    // The informer fills its cache synchronously once this promise resolves: after this turn.
    setImmediate(listed);
    return list;
  };
  const path = `/api/v1/namespaces/${namespace}/${config.kind === 'Pod' ? 'pods' : 'configmaps'}`;
  const baseHeap = settledHeap();
  const t0 = performance.now();
  const informer = makeInformer(kc, path, listFn as () => ReturnType<typeof api.listNamespacedConfigMap>);
  let failure: unknown;
  informer.on('error', (e: unknown) => {
    failure = e;
    listed();
  });
  const tracker = new PhaseTracker(config, emit);
  let following = false;
  let finished: () => void = () => {};
  const allPhases = new Promise<void>((resolve) => {
    finished = resolve;
  });
  // Slow reconciles: changes pile up behind a dirty flag while one runs.
  let changed: KubernetesObject[] = [];
  let reconciling = false;
  const reconcile = async () => {
    reconciling = true;
    while (changed.length > 0 && !tracker.finished) {
      const batch = changed;
      changed = [];
      const signalled = nowMicros();
      const read = timedRead(() => informer.list(namespace) as KubernetesObject[]);
      if (tracker.signal(signalled, batch, () => read.value, read)) finished();
      else await sleep(config.reconcileMs);
    }
    reconciling = false;
  };
  informer.on('change', (obj) => {
    if (!following) return;
    if (config.reconcileMs > 0) {
      changed.push(obj as KubernetesObject);
      if (!reconciling) void reconcile();
      return;
    }
    const signalled = nowMicros();
    const read = timedRead(() => informer.list(namespace) as KubernetesObject[]);
    if (tracker.signal(signalled, [obj as KubernetesObject], () => read.value, read)) finished();
  });
  try {
    await informer.start();
    await listDone;
    if (failure) throw failure;
    const items = informer.list(namespace) as KubernetesObject[];
    const ms = performance.now() - t0;
    emitBootstrapped(config, emit, ms, items, baseHeap);
    if (config.phases.length === 0) return;
    following = true;
    await allPhases;
    tracker.stop();
  } finally {
    await informer.stop();
  }
}
