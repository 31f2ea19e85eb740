import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from './fault-proxy.js';

let echo: Server;
let proxy: FaultProxy;

async function startEcho(): Promise<number> {
  echo = createServer((s) => s.pipe(s));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  return (echo.address() as { port: number }).port;
}

function roundTrip(socket: Socket, text: string): Promise<string> {
  return new Promise((resolve) => {
    socket.once('data', (d) => resolve(d.toString()));
    socket.write(text);
  });
}

afterEach(async () => {
  await proxy?.stop();
  await new Promise((r) => echo?.close(r));
});

describe('the fault proxy', () => {
  it('forwards bytes unchanged', async () => {
    proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: await startEcho() } });
    const s = connect(proxy.port, '127.0.0.1');
    expect(await roundTrip(s, 'hello')).toBe('hello');
    s.destroy();
  });

  it('cuts every open connection on cutAll', async () => {
    proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: await startEcho() } });
    const s = connect(proxy.port, '127.0.0.1');
    await roundTrip(s, 'x');
    const closed = new Promise((r) => s.on('close', r));
    s.on('error', () => {});
    proxy.cutAll();
    await closed;
    expect(proxy.counters.cuts).toBe(1);
  });

  it('holds bytes while stalled and delivers them on resume', async () => {
    proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: await startEcho() } });
    const s = connect(proxy.port, '127.0.0.1');
    await roundTrip(s, 'warm');
    proxy.stall();
    let got = '';
    s.on('data', (d) => {
      got += d.toString();
    });
    s.write('held');
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toBe('');
    proxy.resume();
    await expect.poll(() => got).toBe('held');
    s.destroy();
  });

  it('adds latency to each chunk', async () => {
    proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: await startEcho() } });
    proxy.setLatency(100);
    const s = connect(proxy.port, '127.0.0.1');
    const t0 = Date.now();
    await roundTrip(s, 'slow');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
    s.destroy();
  });
});
