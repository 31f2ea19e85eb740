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

  it("drops kube-apiserver's own IP repair warning from describe's events, as if it had not raced", () => {
    const describe = (rows: string[]) =>
      [
        'Name:              web',
        'Internal Traffic Policy:  Cluster',
        'Events:',
        '  Type     Reason                 Age   From                           Message',
        '  ----     ------                 ----  ----                           -------',
        ...rows,
      ].join('\n');
    const race =
      '  Warning  ClusterIPNotAllocated  2s    ipallocator-repair-controller  Cluster IP [IPv4]: 10.0.0.77 is not allocated; repairing';
    const other = '  Normal   Created                2s    someone                        made it';
    const none = ['Name: web', 'Internal Traffic Policy: Cluster', 'Events: <none>'].join('\n');
    const url = 'https://127.0.0.1:6443';
    expect(normalizeOutput(describe([race]), url)).toBe(normalizeOutput(none, url));
    expect(normalizeOutput(describe([race, other]), url)).toBe(normalizeOutput(describe([other]), url));
    expect(normalizeOutput(describe([other]), url)).toContain('Normal Created <age> someone made it');
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
