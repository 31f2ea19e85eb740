import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubernetesObject } from '../model/object.js';
import * as a from '../store/actions.js';
import { createKatesStore } from '../store/store.js';
import { objectCount } from '../store/stored-object.js';
import { connectMonitor, type DevToolsServer, startDevToolsServer } from './__fixtures__/devtools-server.js';
import { SECRET_VALUE, sessionActions, TOKEN } from './__fixtures__/session.js';
import { remoteDevTools } from './devtools.js';

const until = async (what: string, ok: () => boolean, ms = 20_000) => {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

function pods(n: number, from = 0): KubernetesObject[] {
  return Array.from({ length: n }, (_, k) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: `cm-${from + k}`,
      namespace: 'big',
      uid: `uid-${from + k}`,
      resourceVersion: String(1000 + from + k),
    },
    data: { value: 'x'.repeat(200) },
  }));
}

describe('remoteDevTools against a real @redux-devtools/cli server', () => {
  let server: DevToolsServer;
  beforeAll(async () => {
    server = await startDevToolsServer();
  }, 900_000);
  afterAll(async () => {
    await server?.stop();
  });

  async function connected(name: string) {
    const enhancer = await remoteDevTools({ hostname: '127.0.0.1', port: server.port, name });
    const monitor = await connectMonitor(server.port);
    const store = createKatesStore({ enhancers: [enhancer] });
    // The app says START when it has logged in; then the monitor asks it to relay.
    await until('the app to log in', () =>
      monitor.messages.some((m) => m.type === 'START' && m.name === name),
    );
    await monitor.start();
    await until('the first state', () => monitor.messages.some((m) => m.type === 'STATE' && m.name === name));
    return { monitor, store };
  }

  it('relays every action and state with no Secret value or credential in any message', async () => {
    const { monitor, store } = await connected('secrets');
    const actions = sessionActions();
    for (const action of actions) store.dispatch(action);
    await until(
      'every action',
      () => monitor.messages.filter((m) => m.type === 'ACTION').length >= actions.length,
    );
    const all = JSON.stringify(monitor.messages);
    expect(all).toContain('kates/localWrite');
    expect(all).toContain('kates/watchEvents');
    expect(all).not.toContain(SECRET_VALUE);
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain('abc123');
    const last = monitor.messages.filter((m) => m.type === 'ACTION').at(-1)!;
    const state = JSON.parse(last.payload as string);
    expect(state.kates.queries['acc1/ConfigMaps'].members).toEqual({ count: 1, sample: ['ns/one'] });
    monitor.close();
  });

  it('keeps messages small and dispatch fast with a 100k-object state', async () => {
    const { monitor, store } = await connected('big');
    const key = 'ConfigMap|big||';
    store.dispatch(
      a.queryAdded({
        id: 'big/all',
        accumulator: 'big',
        name: 'all',
        kind: 'cm',
        namespace: 'big',
        labelSelector: '',
        fieldSelector: '',
      }),
    );
    store.dispatch(
      a.reflectorAdded({
        key,
        groupKind: 'ConfigMap',
        apiVersion: 'v1',
        resource: 'configmaps',
        namespace: 'big',
        labelSelector: '',
        fieldSelector: '',
      }),
    );
    store.dispatch(a.queryBound({ id: 'big/all', groupKind: 'ConfigMap', watchKey: key }));
    store.dispatch(a.listStarted({ key }));
    for (let p = 0; p < 100; p++) store.dispatch(a.listPage({ key, items: pods(1000, p * 1000) }));
    store.dispatch(a.listCompleted({ key, resourceVersion: '200000' }));
    expect(objectCount(store.getState().kates)).toBe(100_000);
    const times: number[] = [];
    for (let k = 0; k < 50; k++) {
      const obj = {
        ...pods(1, k)[0]!,
        metadata: { ...pods(1, k)[0]!.metadata, resourceVersion: String(200001 + k) },
      };
      const t0 = performance.now();
      store.dispatch(a.watchEvents({ key, events: [{ type: 'MODIFIED', object: obj }] }));
      times.push(performance.now() - t0);
    }
    // The monitor sees every app on the server: keep this one's messages.
    const mine = () => monitor.messages.filter((m) => m.name === 'big');
    await until('the last action', () => mine().filter((m) => m.type === 'ACTION').length >= 155, 60_000);
    const sizes = mine().map((m) => JSON.stringify(m).length);
    const actionSizes = mine()
      .filter((m) => m.type === 'ACTION')
      .map((m) => JSON.stringify(m).length);
    const median = [...times].sort((x, y) => x - y)[25]!;
    console.log(
      `DevTools at 100k objects: ${sizes.length} messages, largest ${Math.max(...sizes)} chars ` +
        `(largest action ${Math.max(...actionSizes)}), median dispatch ${median.toFixed(2)} ms`,
    );
    expect(Math.max(...sizes)).toBeLessThan(64_000);
    expect(Math.max(...actionSizes)).toBeLessThan(4_000);
    expect(median).toBeLessThan(20);
    const state = JSON.parse(mine().at(-1)!.payload as string);
    expect(state.kates.objects.count).toBe(100_000);
    expect(state.kates.objects.sample).toHaveLength(5);
    monitor.close();
  }, 120_000);
});
