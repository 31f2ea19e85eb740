import { describe, expect, it } from 'vitest';
import { freePort, onFreshPorts, PORT_ATTEMPTS } from './ports.js';

const taken = () =>
  new Error('etcd /health (connect ECONNREFUSED): listen tcp 127.0.0.1:10051: bind: address already in use');

const quiet = () => undefined;

describe('ports for test servers', () => {
  it('never hands out one port twice in a process', async () => {
    const ports = await Promise.all(Array.from({ length: 40 }, () => freePort()));
    expect(new Set(ports).size).toBe(ports.length);
  });

  it('starts a server again when a port it was given was taken, and gives up after a few attempts', async () => {
    const attempts: number[] = [];
    const started = await onFreshPorts(
      'etcd',
      async (attempt) => {
        attempts.push(attempt);
        if (attempt < 2) throw taken();
        return 'serving';
      },
      quiet,
    );
    expect(started).toBe('serving');
    expect(attempts).toEqual([0, 1, 2]);

    let tries = 0;
    await expect(
      onFreshPorts(
        'etcd',
        async () => {
          tries++;
          throw taken();
        },
        quiet,
      ),
    ).rejects.toThrow(/address already in use/);
    expect(tries).toBe(PORT_ATTEMPTS);
  });

  it('throws any other failure at once', async () => {
    let tries = 0;
    await expect(
      onFreshPorts(
        'kube-apiserver',
        async () => {
          tries++;
          throw new Error('kube-apiserver /readyz (timed out)');
        },
        quiet,
      ),
    ).rejects.toThrow(/timed out/);
    expect(tries).toBe(1);
  });
});
