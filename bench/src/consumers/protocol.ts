import { createHash } from 'node:crypto';
import type { KubernetesObject } from '@kates/core';
import { type BenchKind, DONE_ANNOTATION, SENT_ANNOTATION } from '../objects.js';
import { nowMicros, samplePeakRss, settledHeap, touchYoungGeneration } from '../stats.js';
import { lastArrivalUs, listenForArrivals } from './arrival.js';

/**
 * The library a consumer process runs. The `floor` peers only get the objects into parsed memory,
 * each its own way (see consumers/floor.ts): `floor` pages of 500, `floor-unpaged` one LIST,
 * `floor-2000` pages of 2000 as kates' reflector asks for them, `floor-stream` a streaming list.
 * `kates-list` and `kates-stream` are kates-ts with its initial list set to a paginated LIST or a
 * streaming list, whatever the default.
 */
export type PeerName =
  | 'floor'
  | 'floor-unpaged'
  | 'floor-2000'
  | 'floor-stream'
  | 'floor-plain'
  | 'kates'
  | 'kates-dropmf'
  | 'kates-list'
  | 'kates-stream'
  | 'kates-plain'
  | 'entity-adapter'
  | 'client-node'
  | 'go-kates';

/** What a consumer process is asked to do (JSON in its argv). */
export interface ConsumerConfig {
  readonly peer: PeerName;
  readonly kubeconfig: string;
  readonly namespace: string;
  readonly kind: BenchKind;
  /** Objects in the first complete snapshot. */
  readonly expect: number;
  /**
   * Phases to follow after the bootstrap, in order: each ends when the object `doneName` carries
   * `bench.kates.io/done: <phase>`. None: exit after the bootstrap.
   */
  readonly phases: readonly string[];
  readonly doneName: string;
  /** Time each reconcile (one turn per change signal) takes, ms. */
  readonly reconcileMs: number;
  /** Coalescing interval of the accumulators (kates, Go kates), ms. */
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

/**
 * Prints `bootstrapped` for a first complete snapshot of `items`, taken `ms` after the start: the
 * heap it holds (after two full collections, less `baseHeap`), the process's RSS and the items'
 * digest. Throws where the snapshot is not whole. A consumer with phases to follow then has its
 * young generation's pages touched (`touchYoungGeneration`), before the driver's first write: the
 * full collections here gave them back to the system.
 */
export function emitBootstrapped(
  config: ConsumerConfig,
  emit: (line: ConsumerLine) => void,
  ms: number,
  items: readonly KubernetesObject[],
  baseHeap: number,
): void {
  if (items.length !== config.expect) {
    throw new Error(
      `${config.peer}: first snapshot holds ${items.length} ${config.kind}s, expected ${config.expect}`,
    );
  }
  const heapBytes = settledHeap() - baseHeap;
  const rssBytes = process.memoryUsage.rss();
  const digest = digestOf(items);
  if (config.phases.length > 0) touchYoungGeneration();
  emit({ type: 'bootstrapped', ms, count: items.length, heapBytes, rssBytes, digest });
}

/** One line a consumer prints on stdout (Go kates prints the same). */
export type ConsumerLine =
  | {
      type: 'bootstrapped';
      ms: number;
      count: number;
      heapBytes: number;
      rssBytes: number;
      digest: string;
      /** Objects in the first snapshot, where it was short (Go kates with a paginated LIST). */
      firstCount?: number;
    }
  | { type: 'first'; ms: number; count: number }
  | {
      type: 'phase';
      phase: string;
      updates: number;
      latenciesUs: number[];
      /**
       * When each change of `latenciesUs` was sent (its stamp, µs), in the same order: what tells,
       * between processes that followed the same writes, which samples are of one write (not Go
       * kates).
       */
      sentUs?: number[];
      /**
       * Per signal that delivered a stamped change: from the newest body chunk's arrival in the
       * HTTP client to the signal, µs (consumers/arrival.ts). Only where the client is undici (not
       * Go kates), and exact where one change is in flight at a time.
       */
      clientUs?: number[];
      updateUs: number[];
      /** Minor page faults during each read of `updateUs` (where the consumer counts them). */
      updatePageFaults?: number[];
      endUs: number;
      count: number;
      digest: string;
      peakRssBytes: number;
    }
  | { type: 'error'; message: string };

/** Sorted `namespace/name@resourceVersion` lines, hashed: equal digests mean equal snapshots. */
export function digestOf(items: readonly KubernetesObject[]): string {
  return digestOfLines(
    items.map((o) =>
      digestLine(o.metadata?.namespace ?? '', o.metadata?.name ?? '', o.metadata?.resourceVersion ?? ''),
    ),
  );
}

/** An object's line in a digest. */
export const digestLine = (namespace: string, name: string, resourceVersion: string) =>
  `${namespace}/${name}@${resourceVersion}`;

/** The digest of objects' lines ({@link digestLine}); sorts `lines` in place. */
export function digestOfLines(lines: string[]): string {
  lines.sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/**
 * Follows the phases of a run from the consumer's side: every change signal reports when it was
 * given, the objects it changed and how long reading the snapshot took; a phase ends at its marker.
 */
export class PhaseTracker {
  private index = 0;
  private latencies: number[] = [];
  private sentUs: number[] = [];
  private clientUs: number[] = [];
  private updateUs: number[] = [];
  private updatePageFaults: number[] = [];
  private updates = 0;
  private peak = samplePeakRss();

  constructor(
    private readonly config: ConsumerConfig,
    private readonly emit: (line: ConsumerLine) => void,
  ) {
    listenForArrivals();
  }

  /** Whether every phase has ended. */
  get finished(): boolean {
    return this.index >= this.config.phases.length;
  }

  /**
   * Records one change signal. `changed` are the objects that changed since the previous one (as
   * the library reports them); `items` the snapshot, whose read is `read` (`timedRead`). Returns
   * true when the last phase ended.
   */
  signal(
    signalledUs: number,
    changed: Iterable<KubernetesObject>,
    items: () => readonly KubernetesObject[],
    read: { readonly us: number; readonly pageFaults?: number },
  ): boolean {
    if (this.finished) return true;
    this.updates++;
    this.updateUs.push(read.us);
    if (read.pageFaults !== undefined) this.updatePageFaults.push(read.pageFaults);
    const phase = this.config.phases[this.index]!;
    let done = false;
    let newestSent = 0;
    for (const obj of changed) {
      const ann = obj.metadata?.annotations;
      const sent = Number(ann?.[SENT_ANNOTATION]);
      if (sent > 0) {
        this.latencies.push(signalledUs - sent);
        this.sentUs.push(sent);
        newestSent = Math.max(newestSent, sent);
      }
      if (obj.metadata?.name === this.config.doneName && ann?.[DONE_ANNOTATION] === phase) done = true;
    }
    // The newest chunk came after the newest change was sent, and before the signal.
    const arrived = lastArrivalUs();
    if (newestSent > 0 && arrived > newestSent && arrived <= signalledUs)
      this.clientUs.push(signalledUs - arrived);
    if (!done) return false;
    const snapshot = items();
    this.emit({
      type: 'phase',
      phase,
      updates: this.updates,
      latenciesUs: this.latencies,
      sentUs: this.sentUs,
      clientUs: this.clientUs,
      updateUs: this.updateUs,
      ...(this.updatePageFaults.length > 0 ? { updatePageFaults: this.updatePageFaults } : {}),
      endUs: nowMicros(),
      count: snapshot.length,
      digest: digestOf(snapshot),
      peakRssBytes: this.peak.stop(),
    });
    this.index++;
    this.latencies = [];
    this.sentUs = [];
    this.clientUs = [];
    this.updateUs = [];
    this.updatePageFaults = [];
    this.updates = 0;
    this.peak = samplePeakRss();
    return this.finished;
  }

  stop(): void {
    this.peak.stop();
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
