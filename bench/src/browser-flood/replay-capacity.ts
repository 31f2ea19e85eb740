/**
 * `node bench/dist/browser-flood/replay-capacity.js [--pods 300] [--payload-kb 200] [--mbps 60]
 *  [--seconds 10] [--relay on|off]`: what the replay source (replay-host.ts) delivers alone, to a
 * reader that only counts bytes (no proxy, no browser): through the TLS front and, with `--relay
 * on`, the flood's counting relay, as in main.ts. The ceiling of the chain before the proxy.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startCountingRelay } from './relay.js';
import { startReplaySource } from './replay-source.js';

const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '300' },
    'payload-kb': { type: 'string', default: '200' },
    mbps: { type: 'string', default: '60' },
    seconds: { type: 'string', default: '10' },
    relay: { type: 'string', default: 'on' },
  },
});
const pods = Number(values.pods);
const source = await startReplaySource({
  namespace: `bench-flood-${pods}`,
  pods,
  payloadBytes: Number(values['payload-kb']) * 1024,
  historyEvents: 100_000,
});
try {
  const config = readFileSync(source.kubeconfigPath, 'utf8');
  const port = Number(/server: https:\/\/127\.0\.0\.1:(\d+)/.exec(config)?.[1]);
  const ca = Buffer.from(/certificate-authority-data: (\S+)/.exec(config)?.[1] ?? '', 'base64');
  const token = /token: (\S+)/.exec(config)?.[1];
  const relay = values.relay === 'on' ? await startCountingRelay(port) : undefined;
  const fat = await source.writer.ask({ op: 'fatten', bytes: 0, concurrency: 1 }, 'fattened');
  let bytes = 0;
  const req = request({
    host: '127.0.0.1',
    servername: 'localhost',
    port: relay?.port ?? port,
    ca,
    path: `/api/v1/pods?watch=true&resourceVersion=1000000000`,
    headers: { authorization: `Bearer ${token}` },
  });
  req.on('response', (res) => res.on('data', (c: Buffer) => (bytes += c.length)));
  req.end();
  const rate = Math.round((Number(values.mbps) * 2 ** 20) / fat.objectBytes);
  const cpu0 = process.cpuUsage();
  await source.writer.ask({ op: 'start', ratePerSec: rate, concurrency: 1 }, 'started');
  const t0 = performance.now();
  const b0 = bytes;
  for (let s = 1; s <= Number(values.seconds); s++) {
    await new Promise((r) => setTimeout(r, 1000));
    process.stdout.write(
      `t=${s}s: ${((bytes - b0) / 2 ** 20 / ((performance.now() - t0) / 1000)).toFixed(1)} MB/s so far, load ${loadavg()[0]?.toFixed(1)}\n`,
    );
  }
  const report = (await source.writer.ask({ op: 'stop' }, 'stopped')).report;
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(
    `asked ${values.mbps} MB/s (${rate} events/s of ${(fat.objectBytes / 1024).toFixed(0)} KB): made ${(report.replay?.eventBytes ?? 0) / 2 ** 20 / s} MB/s; read ${((bytes - b0) / 2 ** 20 / s).toFixed(1)} MB/s; relay ${values.relay}; this process (reader${relay ? ' and relay' : ''}) CPU ${(((cpu.user + cpu.system) / 1e6 / s) * 100).toFixed(0)}% of a core; max lag ${report.replay?.maxLagEvents} events\n`,
  );
  req.destroy();
  await relay?.close();
} finally {
  await source.stop();
}
