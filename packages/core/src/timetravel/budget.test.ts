import { describe, expect, it } from 'vitest';
import type { KubernetesObject } from '../model/object.js';
import * as a from '../store/actions.js';
import { createKatesStore } from '../store/store.js';
import { createRecorder } from './recorder.js';
import { replay } from './replay.js';
import { memorySink } from './sink.js';

/** A pod of about 1 KB of JSON, as a watch delivers it (managedFields dropped). */
function pod(k: number, rv: number): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `web-${k}`,
      namespace: 'shop',
      uid: `0b6f2d5e-0000-4000-8000-${String(k).padStart(12, '0')}`,
      resourceVersion: String(rv),
      creationTimestamp: '2024-05-01T10:00:00Z',
      labels: { app: 'web', 'pod-template-hash': '7c9f8d6b5' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7c9f8d6b5', uid: 'rs-uid', controller: true },
      ],
    },
    spec: {
      nodeName: `node-${k % 7}`,
      containers: [
        {
          name: 'web',
          image: 'registry.example.com/shop/web:1.4.2',
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          resources: { requests: { cpu: '100m', memory: '128Mi' } },
        },
      ],
    },
    status: {
      phase: 'Running',
      podIP: `10.1.${k % 250}.${k % 200}`,
      startTime: '2024-05-01T10:00:05Z',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-05-01T10:00:09Z' }],
      containerStatuses: [
        {
          name: 'web',
          ready: true,
          restartCount: rv % 3,
          image: 'registry.example.com/shop/web:1.4.2',
          containerID: `containerd://${'f'.repeat(64)}`,
          state: { running: { startedAt: '2024-05-01T10:00:08Z' } },
        },
      ],
    },
  };
}

const KEY = 'Pod|shop||';

/** Records a store holding `objects` pods that then receives `events` MODIFIED events, `batch` per action. */
function recordPods(objects: number, events: number, batch: number) {
  const sink = memorySink();
  const recorder = createRecorder({ sink });
  const store = createKatesStore({ enhancers: [recorder.enhancer] });
  store.dispatch(
    a.queryAdded({
      id: 'c/Pods',
      accumulator: 'c',
      name: 'Pods',
      kind: 'pods',
      namespace: 'shop',
      labelSelector: '',
      fieldSelector: '',
    }),
  );
  store.dispatch(
    a.reflectorAdded({
      key: KEY,
      groupKind: 'Pod',
      apiVersion: 'v1',
      resource: 'pods',
      namespace: 'shop',
      labelSelector: '',
      fieldSelector: '',
    }),
  );
  store.dispatch(a.queryBound({ id: 'c/Pods', groupKind: 'Pod', watchKey: KEY }));
  store.dispatch(a.listStarted({ key: KEY }));
  for (let p = 0; p < objects; p += 500) {
    store.dispatch(
      a.listPage({
        key: KEY,
        items: Array.from({ length: Math.min(500, objects - p) }, (_, k) => pod(p + k, 1)),
      }),
    );
  }
  store.dispatch(a.listCompleted({ key: KEY, resourceVersion: '1' }));
  const before = { bytes: recorder.stats().bytes, actions: recorder.stats().actions };
  let rv = 1;
  const t0 = performance.now();
  for (let e = 0; e < events; e += batch) {
    store.dispatch(
      a.watchEvents({
        key: KEY,
        events: Array.from({ length: batch }, (_, k) => ({
          type: 'MODIFIED' as const,
          object: pod((e + k) % objects, ++rv),
        })),
      }),
    );
  }
  const ms = performance.now() - t0;
  const stats = recorder.stats();
  return {
    sink,
    ms,
    eventBytes: stats.bytes - before.bytes,
    eventActions: stats.actions - before.actions,
    stats,
  };
}

describe('time travel costs', () => {
  it('records 1k single watch events in about 1.2 MB and replays them at thousands of steps per second', () => {
    const { sink, ms, eventBytes, eventActions } = recordPods(10_000, 1000, 1);
    const text = sink.text();
    const t0 = performance.now();
    const session = replay(text);
    const parsed = performance.now();
    const { mismatches } = session.verifyAll();
    const verified = performance.now();
    session.seek(session.last);
    const t1 = performance.now();
    for (let s = session.last; s > session.last - 100; s--) session.seek(s);
    const back = (performance.now() - t1) / 100;
    console.log(
      `10k pods, 1000 single events: recording ${(eventBytes / 1024).toFixed(0)} KiB per 1k events ` +
        `(${(eventBytes / eventActions).toFixed(0)} B/line), live dispatch with recorder ${((ms / eventActions) * 1000).toFixed(0)} us/event; ` +
        `parse ${(parsed - t0).toFixed(0)} ms for ${(text.length / 1e6).toFixed(1)} MB, replay+verify ` +
        `${(eventActions / ((verified - parsed) / 1000)).toFixed(0)} steps/s, one step back ${back.toFixed(2)} ms`,
    );
    expect(mismatches).toEqual([]);
    expect(eventBytes / eventActions).toBeLessThan(2000);
    expect(back).toBeLessThan(50);
  }, 120_000);

  it('records batched events with little overhead per event', () => {
    const { ms, eventBytes, stats } = recordPods(10_000, 10_000, 100);
    console.log(
      `10k pods, 10k events in batches of 100: ${(eventBytes / 10).toFixed(0)} B per 1k events... ` +
        `${(eventBytes / 1024 / 10).toFixed(0)} KiB per 1k events, ${((ms / 10_000) * 1000).toFixed(1)} us/event with the recorder ` +
        `(hash ${(stats.hashMs).toFixed(0)} ms, write ${stats.writeMs.toFixed(0)} ms in all)`,
    );
    expect(eventBytes / 10_000).toBeLessThan(1500);
  }, 120_000);
});
