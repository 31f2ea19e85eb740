import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Client } from '../client/client.js';
import { createClient } from '../client/create-client.js';
import type { Pod } from '../model/kinds.js';
import type { Transport, TransportRequest } from '../transport/types.js';
import { type LogServer, runningPod, startLogServer } from './__fixtures__/log-server.js';
import { cluster, useNamespace } from './__fixtures__/real-cluster.js';
import { PodLogError, type PodLogEvent, parseLogLine, podLogs } from './pod-logs.js';
import { PodWatch } from './pod-watch.js';

const NS = 'shop';

/** Waits until `check` holds, polling. */
async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Collects events in the background, so a test can act on the server while logs stream. */
function collect(events: AsyncIterable<PodLogEvent>) {
  const seen: PodLogEvent[] = [];
  const done = (async () => {
    for await (const e of events) seen.push(e);
  })();
  return { seen, done };
}

const summary = (events: PodLogEvent[]) =>
  events.map((e) =>
    e.type === 'line'
      ? `${e.container}: ${e.message}`
      : e.type === 'end'
        ? `${e.container} ended: ${e.reason}`
        : `${e.container} failed: ${e.error.reason}`,
  );

describe('parseLogLine', () => {
  it('splits the kubelet timestamp from the message, keeping the message as written', () => {
    expect(parseLogLine('2024-05-01T10:00:00.123456789Z   indented text')).toEqual({
      timestamp: '2024-05-01T10:00:00.123456789Z',
      message: '  indented text',
    });
    expect(parseLogLine('2024-05-01T10:00:00Z')).toEqual({ timestamp: '2024-05-01T10:00:00Z', message: '' });
    expect(parseLogLine('no timestamp here')).toEqual({ timestamp: '', message: 'no timestamp here' });
  });
});

describe('podLogs against a local server speaking the log endpoint', () => {
  let server: LogServer;
  let client: Client;

  beforeEach(async () => {
    server = await startLogServer(NS);
    client = createClient({ kubeconfig: server.kubeconfigPath });
  });
  afterEach(async () => {
    client.close();
    await server.stop();
  });

  it("streams every container's lines with timestamps, follows, and ends cleanly when the pod is deleted", async () => {
    server.addPod(runningPod('web', ['app', 'sidecar']));
    server.log('web', 'app', 'starting');
    server.log('web', 'sidecar', 'proxy up');
    const { seen, done } = collect(podLogs(client, { name: 'web' }));
    await until(() => seen.length === 2, 'the existing lines');
    server.log('web', 'app', 'request 1');
    server.log('web', 'sidecar', 'request 1 proxied');
    server.log('web', 'app', '');
    await until(() => seen.length === 5, 'the followed lines');
    server.deletePod('web');
    await done;
    const app = summary(seen.filter((e) => e.container === 'app'));
    expect(app).toEqual(['app: starting', 'app: request 1', 'app: ', 'app ended: pod-deleted']);
    expect(summary(seen.filter((e) => e.container === 'sidecar'))).toEqual([
      'sidecar: proxy up',
      'sidecar: request 1 proxied',
      'sidecar ended: pod-deleted',
    ]);
    for (const e of seen) {
      expect(e).toMatchObject({ namespace: NS, pod: 'web', uid: expect.stringMatching(/^uid-web/) });
      if (e.type === 'line') expect(e.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    }
    // Through the client's transport: its bearer token on every request, the log endpoint as asked.
    expect(server.requests.every((r) => r.authorized)).toBe(true);
    const logs = server.requests
      .filter((r) => r.path.endsWith('/log'))
      .map((r) => Object.fromEntries(r.query));
    expect(logs).toEqual(
      expect.arrayContaining([
        { container: 'app', follow: 'true', timestamps: 'true' },
        { container: 'sidecar', follow: 'true', timestamps: 'true' },
      ]),
    );
    await until(() => server.openStreams() === 0 && server.openWatches() === 0, 'every connection to close');
  });

  it('closes the streams a gone kubelet leaves open, once the pod is deleted and the grace has passed', async () => {
    server.addPod(runningPod('web', ['app']));
    server.log('web', 'app', 'hello');
    const { seen, done } = collect(podLogs(client, { name: 'web' }, { deletionGraceMs: 200 }));
    await until(() => seen.length === 1 && server.openStreams() === 1, 'the stream');
    const deleted = Date.now();
    server.deletePod('web', { keepStreams: true });
    await done;
    expect(Date.now() - deleted).toBeGreaterThanOrEqual(150);
    expect(summary(seen)).toEqual(['app: hello', 'app ended: pod-deleted']);
    await until(() => server.openStreams() === 0, 'the stream to close');
  });

  it('reports a failing container as an error event naming pod and container, while the others go on', async () => {
    server.addPod(runningPod('web', ['app', 'broken']), {
      failContainers: {
        broken: { code: 500, message: 'dial tcp 10.0.0.9:10250: connect: connection refused' },
      },
    });
    server.log('web', 'app', 'fine');
    const { seen, done } = collect(podLogs(client, { name: 'web' }));
    await until(() => seen.length === 2, 'the line and the error');
    server.exit('web', 'app');
    await done;
    expect(summary(seen).sort()).toEqual([
      'app ended: terminated',
      'app: fine',
      'broken failed: RequestFailed',
    ]);
    const failure = seen.find((e) => e.type === 'error');
    expect(failure?.type === 'error' && failure.error).toBeInstanceOf(PodLogError);
    expect(failure?.type === 'error' && failure.error.message).toBe(
      'logs of container "broken" in pod shop/web: 500 ' +
        'InternalError: dial tcp 10.0.0.9:10250: connect: connection refused (the API server could not reach the ' +
        'kubelet of node "node-1": check that the node is Ready)',
    );
    expect(failure?.type === 'error' && failure.error.code).toBe(500);
  });

  it("ends a container's stream as terminated when the container exits", async () => {
    server.addPod(runningPod('job', ['main']));
    const { seen, done } = collect(podLogs(client, { name: 'job' }));
    await until(() => server.openStreams() === 1, 'the stream');
    server.log('job', 'main', 'working');
    server.log('job', 'main', 'done');
    server.exit('job', 'main');
    await done;
    expect(summary(seen)).toEqual(['main: working', 'main: done', 'main ended: terminated']);
  });

  it('reads what is there and stops when not following, passing the log options on', async () => {
    server.addPod(runningPod('web', ['app']));
    for (const m of ['one', 'two', 'three']) server.log('web', 'app', m);
    const events: PodLogEvent[] = [];
    for await (const e of podLogs(client, { name: 'web', namespace: NS }, { follow: false, tailLines: 2 }))
      events.push(e);
    expect(summary(events)).toEqual(['app: two', 'app: three', 'app ended: completed']);
    const query = Object.fromEntries(server.requests.find((r) => r.path.endsWith('/log'))!.query);
    expect(query).toEqual({ container: 'app', follow: 'false', timestamps: 'true', tailLines: '2' });
    expect(server.openWatches()).toBe(0);
  });

  it('closes every stream and the pod watch when the consumer stops reading', async () => {
    server.addPod(runningPod('web', ['a', 'b', 'c']));
    server.log('web', 'a', 'first');
    for await (const e of podLogs(client, { name: 'web' })) {
      expect(e.type).toBe('line');
      await until(
        () => server.openStreams() === 3 && server.openWatches() === 1,
        'all streams and the watch',
      );
      break;
    }
    await until(() => server.openStreams() === 0 && server.openWatches() === 0, 'every connection to close');
  });

  it('ends without an error when its signal is aborted', async () => {
    server.addPod(runningPod('web', ['app']));
    const abort = new AbortController();
    const { seen, done } = collect(podLogs(client, { name: 'web' }, { signal: abort.signal }));
    await until(() => server.openStreams() === 1, 'the stream');
    server.log('web', 'app', 'x');
    await until(() => seen.length === 1, 'the line');
    abort.abort();
    await done;
    expect(summary(seen)).toEqual(['app: x']);
    await until(() => server.openStreams() === 0, 'the stream to close');
  });

  it('reports a broken connection of a running container, and says how to resume', async () => {
    server.addPod(runningPod('web', ['app']));
    const { seen, done } = collect(podLogs(client, { name: 'web' }));
    await until(() => server.openStreams() === 1, 'the stream');
    server.breakStreams('web', 'app');
    await done;
    expect(summary(seen)).toEqual(['app failed: ConnectionLost']);
    expect(seen[0]?.type === 'error' && seen[0].error.message).toMatch(/call podLogs again, with sinceTime/);
  });

  it('reports a container the pod does not have, without asking the server', async () => {
    server.addPod(runningPod('web', ['app']));
    const events: PodLogEvent[] = [];
    for await (const e of podLogs(client, { name: 'web' }, { containers: ['nope'] })) events.push(e);
    expect(events[0]?.type === 'error' && events[0].error.message).toBe(
      'logs of container "nope" in pod shop/web: the pod has no such container; its containers are app',
    );
    expect(server.requests.some((r) => r.path.endsWith('/log'))).toBe(false);
  });

  it('throws for a pod that does not exist, naming it', async () => {
    const err = await podLogs(client, { name: 'ghost' })
      .next()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PodLogError);
    expect(err).toMatchObject({
      reason: 'PodNotFound',
      message: 'logs of pod shop/ghost: the pod does not exist; check its name and namespace',
    });
  });
});

describe('podLogs backpressure', () => {
  it('stops reading a stream while the consumer is slow, holding at most maxBuffered events', async () => {
    let pulled = 0;
    const pod: Pod = {
      ...runningPod('web', ['app']),
      metadata: { name: 'web', namespace: NS, uid: 'u', resourceVersion: '1' },
    };
    const transport: Transport = {
      server: 'scripted',
      async request(req: TransportRequest) {
        const log = req.path.endsWith('/log');
        return {
          status: 200,
          headers: {},
          text: async () => JSON.stringify(pod),
          async *lines() {
            if (!log) return;
            for (let i = 0; i < 10_000; i++) {
              pulled++;
              yield `2024-01-01T00:00:00.000000001Z line ${i}`;
            }
          },
        };
      },
    };
    const events = podLogs(transport, pod, { follow: false, maxBuffered: 5 });
    await events.next();
    await new Promise((r) => setTimeout(r, 50));
    expect(pulled).toBeLessThanOrEqual(7);
    let count = 1;
    for await (const e of events) if (e.type === 'line') count++;
    expect(count).toBe(10_000);
  });
});

const ctx = useNamespace('podlogs');

// The test cluster has no kubelet: pods are never started, so /log answers with what the API server
// alone knows. These tests check the error paths against it; streaming is tested above.
describe.skipIf(!cluster)('podLogs with a real API server (no kubelet)', () => {
  const pod = (name: string, nodeName?: string): Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      ...(nodeName ? { nodeName } : {}),
      containers: [
        { name: 'app', image: 'busybox' },
        { name: 'side', image: 'busybox' },
      ],
    },
  });
  const all = async (events: AsyncIterable<PodLogEvent>) => {
    const out: PodLogEvent[] = [];
    for await (const e of events) out.push(e);
    return out;
  };

  it('says for each container of an unscheduled pod that it has no logs yet, and why', async () => {
    await ctx.client.create(pod('pending'));
    const events = await all(podLogs(ctx.client, { name: 'pending' }));
    expect(summary(events).sort()).toEqual(['app failed: NotStarted', 'side failed: NotStarted']);
    const app = events.find((e) => e.container === 'app');
    expect(app?.type === 'error' && app.error.message).toBe(
      `logs of container "app" in pod ${ctx.namespace}/pending: ` +
        'the pod is not scheduled to a node yet (phase Pending), so the container has no logs; call podLogs again once it runs',
    );
  });

  it("reports the API server's refusal per container, naming pod, container and node", async () => {
    await ctx.client.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: `${ctx.namespace}-node` } });
    await ctx.client.create(pod('unreachable', `${ctx.namespace}-node`));
    await ctx.client.create(pod('unregistered', 'no-such-node'));
    try {
      const unreachable = await all(podLogs(ctx.client, { name: 'unreachable' }));
      expect(summary(unreachable).sort()).toEqual([
        'app failed: RequestFailed',
        'side failed: RequestFailed',
      ]);
      const e1 = unreachable[0]?.type === 'error' ? unreachable[0].error : undefined;
      expect(e1?.code).toBe(500);
      expect(e1?.message).toMatch(
        new RegExp(
          `^logs of container "(app|side)" in pod ${ctx.namespace}/unreachable: 500 ` +
            `InternalError: .*could not reach the kubelet of node "${ctx.namespace}-node"`,
        ),
      );
      // A 404 about the node is not taken for the deletion of the pod.
      const unregistered = await all(podLogs(ctx.client, { name: 'unregistered' }, { containers: ['app'] }));
      expect(summary(unregistered)).toEqual(['app failed: RequestFailed']);
      expect(unregistered[0]?.type === 'error' && unregistered[0].error.message).toMatch(
        /404 NotFound: .*\(the pod's node "no-such-node" is not registered with the API server\)$/,
      );
    } finally {
      await ctx.client.delete({ kind: 'Node', name: `${ctx.namespace}-node` });
    }
  });

  it('throws for a missing pod, and for a user who may not read it', async () => {
    await expect(podLogs(ctx.client, { name: 'ghost' }).next()).rejects.toMatchObject({
      reason: 'PodNotFound',
    });
    await ctx.client.create(pod('private'));
    const nobody = createClient({ kubeconfig: cluster!.nobodyKubeconfigPath, namespace: ctx.namespace });
    try {
      const err = await podLogs(nobody, { name: 'private' })
        .next()
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ reason: 'RequestFailed', code: 403 });
      expect((err as Error).message).toMatch(
        new RegExp(`^logs of pod ${ctx.namespace}/private: .*403 Forbidden`),
      );
    } finally {
      nobody.close();
    }
  });

  it('learns from the real watch that a followed pod was deleted', async () => {
    const created = await ctx.client.create(pod('doomed'));
    const abort = new AbortController();
    const watch = new PodWatch(ctx.client.transport, created, abort.signal);
    const deleted = new Promise<void>((resolve) => watch.whenDeleted(resolve));
    try {
      await new Promise((r) => setTimeout(r, 200));
      expect(watch.deleted).toBe(false);
      await ctx.client.delete(created, { gracePeriodSeconds: 0 });
      await deleted;
      expect(watch.deleted).toBe(true);
    } finally {
      abort.abort();
    }
  });
});
