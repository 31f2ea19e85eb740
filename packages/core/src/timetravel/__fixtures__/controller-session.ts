import type { Client } from '../../client/client.js';
import { createClient } from '../../client/create-client.js';
import type { KubernetesObject } from '../../model/object.js';
import type { KatesState } from '../../store/state.js';
import { createKatesStore } from '../../store/store.js';
import { createRecorder, type RecorderStats } from '../recorder.js';
import type { RecordingSink } from '../sink.js';

/** What a session needs from the API server it runs on: a way in, and faults. */
export interface SessionServer {
  /** The kubeconfig of the recorded controller (through whatever injects faults). */
  readonly kubeconfigPath: string;
  /** The kubeconfig of another actor, who writes behind the controller's back. */
  readonly directKubeconfigPath: string;
  /**
   * An outage: the controller's watches see nothing while `during` runs, then they fail and the
   * history they would resume from has expired, so a relist (410 Gone) follows.
   */
  outage(namespace: string, during: () => Promise<void>): Promise<void>;
  /** Writes a line that is not a watch event into open watches, where the server can. */
  poison?(namespace: string, text: string): void;
}

/** Secret values the session writes: none may appear in a recording. */
export const SESSION_SECRETS = [
  'aHVudGVyMi1wYXNzd29yZA==',
  'c2Vjb25kLXZhbHVlLW9mLXRoZS1zZWNyZXQ=',
  'plain-string-data',
];

const waitFor = async (what: string, ok: () => boolean, ms = 30_000) => {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`controller session: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** What a recorded session leaves: the live state after each recorded action, and what was done. */
export interface RecordedSession {
  readonly namespace: string;
  /** live[i] is the store's kates slice after the i-th store notification (live[0]: the start). */
  readonly live: KatesState[];
  readonly stats: RecorderStats;
}

/**
 * Runs a small controller session against `server` while recording it to `sink`: a list, watch
 * events from another actor, local writes (create, update, patch, delete, of ConfigMaps and a
 * Secret), an unserved kind, a watch outage with a relist, and a poison line where possible.
 */
export async function recordControllerSession(
  server: SessionServer,
  sink: RecordingSink,
  options: { maxSegmentBytes?: number } = {},
): Promise<RecordedSession> {
  const namespace = `tt-${Date.now().toString(36)}`;
  const other = createClient({ kubeconfig: server.directKubeconfigPath, namespace });
  await other.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  await other.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'seed', namespace },
    data: { n: '0' },
  });

  const recorder = createRecorder({
    sink,
    ...(options.maxSegmentBytes ? { maxSegmentBytes: options.maxSegmentBytes } : {}),
  });
  const store = createKatesStore({ enhancers: [recorder.enhancer] });
  const live: KatesState[] = [store.getState().kates];
  store.subscribe(() => live.push(store.getState().kates));
  const client: Client = createClient({
    kubeconfig: server.kubeconfigPath,
    namespace,
    store,
    reflector: { backoff: { initialMs: 50, maxMs: 400 }, minWatchMs: 0 },
  });
  const acc = client.watch(
    { name: 'ConfigMaps', kind: 'configmaps', namespace },
    { name: 'Secrets', kind: 'secrets', namespace },
    { name: 'Widgets', kind: 'widgets.example.com' },
    { interval: 10, rediscoverEvery: 60_000 },
  );
  const names = (field: 'ConfigMaps' | 'Secrets') =>
    acc.getSnapshot()[field].map((o: KubernetesObject) => o.metadata?.name);
  const status = () => acc.status();
  try {
    await waitFor('the bootstrap', () => acc.ready);
    await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { v: '1' } });
    await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' }, data: { v: '1' } });
    await client.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db' },
      data: { password: SESSION_SECRETS[0]! },
      stringData: { note: SESSION_SECRETS[2]! },
    });
    const a = await client.get('configmaps', 'a');
    await client.update({ ...a, data: { v: '2' } });
    await client.patch({ kind: 'configmaps', name: 'b' }, { data: { v: '3' } });
    await other.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'from-other', namespace },
      data: {},
    });
    await client.delete({ kind: 'configmaps', name: 'seed' });
    await waitFor(
      'the writes',
      () => names('ConfigMaps').join() === 'a,b,from-other' && names('Secrets').includes('db'),
    );
    if (server.poison) {
      server.poison(namespace, 'garbage Authorization: Bearer not-a-real-token-123 {');
      await waitFor('the poison line', () => status().ConfigMaps!.counters.poisonLines > 0);
    }

    const relists = status().ConfigMaps!.counters.relists;
    await server.outage(namespace, async () => {
      await other.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'during-outage', namespace },
      });
      await other.delete({ kind: 'configmaps', name: 'from-other', namespace });
    });
    await waitFor(
      'the relist',
      () =>
        status().ConfigMaps!.counters.relists > relists &&
        status().ConfigMaps!.phase === 'synced' &&
        names('ConfigMaps').join() === 'a,b,during-outage',
    );

    const db = await client.get('secrets', 'db');
    await client.update({ ...db, data: { password: SESSION_SECRETS[1]! } });
    await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { v: '1' } });
    await waitFor('the last writes', () => names('ConfigMaps').includes('c'));
    // Let the watch confirm the local writes, so the recording ends in a quiet state.
    await waitFor(
      'the watch to catch up',
      () => store.getState().kates.localPending.size === 0,
      10_000,
    ).catch(() => {});
  } finally {
    acc.close();
    // The accumulator's watches stop in the background: record until the last one is removed.
    await waitFor(
      'the watches to stop',
      () => Object.keys(store.getState().kates.reflectors).length === 0,
      10_000,
    ).finally(() => {
      // The client stops its consistent-list probes for deletions (deletion-versions.ts) before the
      // recorder closes: a probe answered late would dispatch an action the recording never saw.
      client.close();
      recorder.close();
    });
    await other.delete({ kind: 'Namespace', name: namespace }).catch(() => {});
    other.transport.close?.();
  }
  return { namespace, live, stats: recorder.stats() };
}
