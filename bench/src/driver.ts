import { createNodeTransport, type NodeTransport } from '@kates/core';
import { collectionPath, objectPath } from '@kates/core/internal';
import { KubeConfig } from '@kubernetes/client-node';
import { type BenchKind, DONE_ANNOTATION, generate, objectName, SENT_ANNOTATION } from './objects.js';
import { RESOURCES } from './resources.js';
import { nowMicros } from './stats.js';

/** What a burst of writes did. */
export interface WriteReport {
  readonly writes: number;
  /** When the first and the last write were sent, µs (`nowMicros`). */
  readonly firstSentUs: number;
  readonly lastSentUs: number;
  /** When the last write was acknowledged. */
  readonly ackUs: number;
}

/**
 * Writes to the API server on behalf of a run: creates objects, and changes them with merge
 * patches stamped with the time they were sent; the last write of a phase sets its end marker.
 */
export class Driver {
  private readonly transport: NodeTransport;

  constructor(
    kubeconfigPath: string,
    private readonly kind: BenchKind,
    private readonly namespace: string,
  ) {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    this.transport = createNodeTransport(kc);
  }

  /** Creates the namespace (if missing) and objects 0..n-1, `concurrency` at a time. */
  async create(n: number, concurrency = 32): Promise<void> {
    const ns = await this.transport.request({
      method: 'POST',
      path: '/api/v1/namespaces',
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: this.namespace } }),
    });
    const nsText = await ns.text();
    if (ns.status !== 201 && ns.status !== 409)
      throw new Error(`creating namespace ${this.namespace}: ${ns.status} ${nsText.slice(0, 200)}`);
    let next = 0;
    const path = collectionPath(RESOURCES[this.kind], this.namespace);
    const worker = async () => {
      while (next < n) {
        const i = next++;
        const res = await this.transport.request({
          method: 'POST',
          path,
          body: JSON.stringify(generate(this.kind, i, this.namespace)),
        });
        const text = await res.text();
        if (res.status !== 201 && res.status !== 409)
          throw new Error(`creating ${objectName(this.kind, i)}: ${res.status} ${text.slice(0, 200)}`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  private async patch(i: number, annotations: Record<string, string>): Promise<void> {
    const path = objectPath(RESOURCES[this.kind], objectName(this.kind, i), this.namespace);
    const res = await this.transport.request({
      method: 'PATCH',
      path,
      contentType: 'application/merge-patch+json',
      body: JSON.stringify({ metadata: { annotations } }),
    });
    const text = await res.text();
    if (res.status !== 200)
      throw new Error(`patching ${objectName(this.kind, i)}: ${res.status} ${text.slice(0, 200)}`);
  }

  /**
   * `count` writes over objects 1..n-1 (spread, so each touches a different part of the store),
   * each stamped with when it was sent, `concurrency` in flight; at `ratePerSec` if given (open
   * loop: each write's time is fixed in advance), as fast as the server takes them otherwise.
   */
  async writes(
    n: number,
    count: number,
    options: { concurrency?: number; ratePerSec?: number } = {},
  ): Promise<WriteReport> {
    const concurrency = options.concurrency ?? 16;
    const start = performance.now();
    let next = 0;
    let firstSentUs = 0;
    let lastSentUs = 0;
    const worker = async () => {
      while (next < count) {
        const k = next++;
        if (options.ratePerSec) {
          const wait = start + (k * 1000) / options.ratePerSec - performance.now();
          if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        }
        const sent = nowMicros();
        if (k === 0) firstSentUs = sent;
        lastSentUs = Math.max(lastSentUs, sent);
        await this.patch(1 + ((k * 7919) % Math.max(1, n - 1)), {
          [SENT_ANNOTATION]: String(sent),
          'bench.kates.io/generation': String(k + 1),
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, count)) }, worker));
    return { writes: count, firstSentUs, lastSentUs, ackUs: nowMicros() };
  }

  /**
   * Warms the server's write and watch paths before a peer is timed: a watch on the collection
   * sees `count` writes at `ratePerSec`, read to the last event (the churn runs 500 at the steady
   * rate before each peer's process). Without it, whichever peer went first in a churn case also
   * paid the server's own warm-up: on a fresh in-memory server with 10k ConfigMaps, one change
   * took 5.3 to 6.1 ms for the first peer (kates or client-node, whichever it was) against 3.6 to
   * 4.2 ms for the next, and its steady p50 12 ms against 4.5.
   */
  async warmUp(n: number, count: number, ratePerSec: number): Promise<void> {
    const path = collectionPath(RESOURCES[this.kind], this.namespace);
    const listed = await this.transport.request({ method: 'GET', path, query: { limit: 1 } });
    const listText = await listed.text();
    if (listed.status !== 200)
      throw new Error(`warming up: listing ${path}: ${listed.status} ${listText.slice(0, 200)}`);
    const resourceVersion = (JSON.parse(listText) as { metadata?: { resourceVersion?: string } }).metadata
      ?.resourceVersion;
    const stop = new AbortController();
    const watch = await this.transport.request({
      method: 'GET',
      path,
      query: { watch: true, resourceVersion },
      signal: stop.signal,
    });
    if (watch.status !== 200) throw new Error(`warming up: watching ${path}: ${watch.status}`);
    let seen = 0;
    let allSeen: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      allSeen = resolve;
    });
    const reading = (async () => {
      for await (const _ of watch.lines()) if (++seen >= count) allSeen();
    })().catch(() => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await this.writes(n, count, { ratePerSec, concurrency: 4 });
      await Promise.race([
        done,
        new Promise<void>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`warming up: the watch saw ${seen} of ${count} writes in 30 s`)),
            30_000,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
      stop.abort();
      await reading;
    }
  }

  /**
   * Ends a phase: sets its marker on object 0. Call it after the phase's writes are acknowledged,
   * so that it is the phase's last event on every watch.
   */
  async marker(phase: string): Promise<WriteReport> {
    const sent = nowMicros();
    await this.patch(0, { [SENT_ANNOTATION]: String(sent), [DONE_ANNOTATION]: phase });
    return { writes: 1, firstSentUs: sent, lastSentUs: sent, ackUs: nowMicros() };
  }

  close(): void {
    this.transport.close();
  }
}
