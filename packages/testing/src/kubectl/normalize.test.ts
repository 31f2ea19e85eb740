import { describe, expect, it } from 'vitest';
import { normalizeOutput } from './normalize.js';
import { splitCommand } from './run.js';

describe('normalizeOutput', () => {
  it('rewrites a cluster IP the allocator picked at random, and neither the kubernetes Service nor <none>', () => {
    const text = [
      'kubernetes ClusterIP 10.0.0.1 <none> 443/TCP',
      'web ClusterIP 10.0.0.143 <none> 80/TCP',
      'IPs: 10.0.0.17',
    ];
    expect(normalizeOutput(text.join('\n'), 'https://127.0.0.1:6443').split('\n')).toEqual([
      'kubernetes ClusterIP 10.0.0.1 <none> 443/TCP',
      'web ClusterIP <cluster-ip> <none> 80/TCP',
      'IPs: <cluster-ip>',
    ]);
  });

  it('rewrites what two servers may answer differently: server, uids, resourceVersions, times, ages, padding', () => {
    const text = [
      'Kubernetes control plane is running at https://127.0.0.1:6443',
      'NAME       DATA   AGE',
      'settings   1      12s',
      'old        2      3m20s',
      '  uid: 0f8e5b2c-1a2b-4c3d-8e9f-0123456789ab',
      '  resourceVersion: "1234"',
      '  creationTimestamp: "2026-12-04T21:00:00Z"',
      '{"resourceVersion":"99","time":"2026-12-04T21:00:00.123456Z"}',
      'Start Time: Thu, 04 Dec 2026 21:00:00 +0000',
      '--- /tmp/LIVE-12345/v1.ConfigMap.ns.settings',
    ].join('\n');
    expect(normalizeOutput(text, 'https://127.0.0.1:6443').split('\n')).toEqual([
      'Kubernetes control plane is running at <server>',
      'NAME DATA AGE',
      'settings 1 <age>',
      'old 2 <age>',
      ' uid: <uid>',
      ' resourceVersion: "<rv>"',
      ' creationTimestamp: "<time>"',
      '{"resourceVersion":"<rv>","time":"<time>"}',
      'Start Time: <time>',
      '--- /tmp/LIVE/v1.ConfigMap.ns.settings',
    ]);
  });

  it('leaves words that only look like ages inside other words alone', () => {
    expect(normalizeOutput('image: busybox:1.36s', 'https://127.0.0.1:6443')).toBe('image: busybox:1.36s');
  });
});

describe('splitCommand', () => {
  it('splits on whitespace and groups quoted words', () => {
    expect(splitCommand(`patch cm a -p '{"data":{"k":"v w"}}'`)).toEqual([
      'patch',
      'cm',
      'a',
      '-p',
      '{"data":{"k":"v w"}}',
    ]);
    expect(splitCommand('auth can-i "*" "*"')).toEqual(['auth', 'can-i', '*', '*']);
    expect(() => splitCommand("get 'unclosed")).toThrow(/unclosed/);
  });
});
