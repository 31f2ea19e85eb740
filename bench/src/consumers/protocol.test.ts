import { channel } from 'node:diagnostics_channel';
import type { KubernetesObject } from '@kates/core';
import { describe, expect, it } from 'vitest';
import { DONE_ANNOTATION, SENT_ANNOTATION } from '../objects.js';
import { nowMicros } from '../stats.js';
import { type ConsumerConfig, type ConsumerLine, PhaseTracker } from './protocol.js';

const config: ConsumerConfig = {
  peer: 'kates',
  kubeconfig: '',
  namespace: 'ns',
  kind: 'ConfigMap',
  expect: 1,
  phases: ['trickle'],
  doneName: 'done',
  reconcileMs: 0,
  intervalMs: 0,
  timeoutMs: 1000,
};

const stamped = (name: string, sentUs: number, done?: string): KubernetesObject => ({
  metadata: {
    name,
    annotations: { [SENT_ANNOTATION]: String(sentUs), ...(done ? { [DONE_ANNOTATION]: done } : {}) },
  },
});

/** What undici publishes when a body chunk reaches it. */
const chunkArrives = () => channel('undici:request:bodyChunkReceived').publish({});

describe('the phase tracker', () => {
  it('times the client part of a change from the newest body chunk, when that chunk came after the send', () => {
    const lines: ConsumerLine[] = [];
    const tracker = new PhaseTracker(config, (line) => lines.push(line));
    // A chunk before the change was sent brought something else: no sample.
    chunkArrives();
    const early = nowMicros() + 1_000;
    tracker.signal(early + 5_000, [stamped('a', early)], () => [], { us: 1 });
    // The change's own chunk, then its signal 300 µs later.
    const sent = nowMicros() - 1_000;
    chunkArrives();
    const arrived = nowMicros();
    tracker.signal(arrived + 300, [stamped('b', sent), stamped('done', sent, 'trickle')], () => [], {
      us: 1,
    });
    const phase = lines.find((l) => l.type === 'phase');
    expect(phase?.type === 'phase' && phase.latenciesUs.length).toBe(3);
    const client = phase?.type === 'phase' ? phase.clientUs : undefined;
    expect(client).toHaveLength(1);
    // 300 µs, and the few between the chunk's stamp and the clock read after it.
    expect(client![0]).toBeGreaterThanOrEqual(300);
    expect(client![0]).toBeLessThanOrEqual(350);
  });
});
