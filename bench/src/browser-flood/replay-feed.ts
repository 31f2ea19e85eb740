/**
 * A synthetic pods feed for the flood (issue 21's 30 MB/s): NOT an API server. It holds `n` pods
 * as templates of pre-serialized JSON, and answers the pods LIST and WATCH with them: each event
 * is a MODIFIED pod whose resourceVersion (and `bench.kates.io/flood` annotation) is a new,
 * increasing number, written from Buffers made once (no object built, no JSON.stringify), so that
 * one process can put tens of MB/s of 206 KB events on the wire where the in-memory API server and
 * kube-apiserver, which serialize each event, reached 6.1 and 4.4 MB/s on this machine's 2 cores.
 *
 * What it keeps is what a watch cache keeps: the current version of each pod, and a ring of the
 * last `historyEvents` events (pod and version, not their bytes: an event's bytes are made again
 * from its pod's template when a watch sends it), so a watch from a recent resourceVersion
 * resumes and one from before the ring gets 410 Expired, as from kube-apiserver.
 *
 * Simplifications, as a real API server would not make them: a LIST is one page (it ignores
 * `limit`, as kube-apiserver does for lists at resourceVersion 0), selectors are ignored (the
 * dashboard asks for none), every pod of the feed is in every LIST and WATCH of pods (it serves
 * both `/api/v1/pods` and the pods' namespace); a watch that falls behind the ring is ended with
 * 410 rather than by a timer of its own.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubernetesObject } from '@kates/core';
import { FLOOD_ANNOTATION } from './payload.js';

/** The annotation each event changes, set to the event's resourceVersion (never twice the same). */
export const REPLAY_ANNOTATION = FLOOD_ANNOTATION;
const PLACEHOLDER = '@@kates-replay-rv@@';

/** What the feed has done, for the report. */
export interface ReplayStats {
  /** Events made (the flood and the marker) since the feed started. */
  readonly events: number;
  /** Bytes of those events, as one watch carries them (before TLS and HTTP chunk framing). */
  readonly eventBytes: number;
  /** Watches of pods opened, ended by 410 (behind the ring), and open now. */
  readonly watches: number;
  readonly expired: number;
  readonly open: number;
  /** Bytes written to pods watches (all of them), and LISTs served. */
  readonly watchBytes: number;
  readonly lists: number;
  /** The most events any open watch had yet to send when it was last behind (its lag). */
  readonly maxLagEvents: number;
}

export interface ReplayFeedOptions {
  /** Events kept for watches that resume (the ring); a watch further behind gets 410 (default 10 000). */
  readonly historyEvents?: number;
  /** The resourceVersion of the pods before the first event (default 1 000 000 000). */
  readonly baseResourceVersion?: number;
  /** BOOKMARK every this many ms to watches that asked for them (default 30 000). */
  readonly bookmarkEveryMs?: number;
}

interface Template {
  readonly name: string;
  readonly namespace: string;
  /** The object's JSON split where its resourceVersion and the annotation's value go. */
  readonly parts: readonly Buffer[];
}

interface Watcher {
  pump(): void;
}

const EVENT_HEAD = (type: string) => Buffer.from(`{"type":"${type}","object":`);
const MODIFIED = EVENT_HEAD('MODIFIED');
const ADDED = EVENT_HEAD('ADDED');
const EVENT_TAIL = Buffer.from('}\n');

/** The pods of the feed, their versions and a ring of the last events; see the module's comment. */
export class ReplayFeed {
  private readonly templates: Template[];
  private readonly versions: number[];
  private readonly ring: Int32Array;
  private readonly base: number;
  private readonly bookmarkEveryMs: number;
  /** Events made so far; event `s` (1-based) has resourceVersion `base + s`. */
  private head = 0;
  private floodEvents = 0;
  private readonly watchers = new Set<Watcher>();
  private stats = { watches: 0, expired: 0, watchBytes: 0, lists: 0, maxLagEvents: 0 };
  private eventBytesTotal = 0;

  constructor(pods: readonly KubernetesObject[], options: ReplayFeedOptions = {}) {
    if (pods.length === 0) throw new Error('a replay feed needs pods');
    this.base = options.baseResourceVersion ?? 1_000_000_000;
    this.ring = new Int32Array(options.historyEvents ?? 10_000);
    this.bookmarkEveryMs = options.bookmarkEveryMs ?? 30_000;
    this.templates = pods.map((pod) => {
      const metadata = pod.metadata ?? {};
      const object = {
        ...pod,
        metadata: {
          ...metadata,
          resourceVersion: PLACEHOLDER,
          annotations: { ...(metadata.annotations ?? {}), [REPLAY_ANNOTATION]: PLACEHOLDER },
        },
      };
      const parts = JSON.stringify(object).split(`"${PLACEHOLDER}"`);
      if (parts.length !== 3)
        throw new Error(`pod ${metadata.name}: its JSON holds the placeholder elsewhere`);
      // Quoted: resourceVersion and the annotation are strings.
      return {
        name: metadata.name ?? '',
        namespace: metadata.namespace ?? '',
        parts: parts.map((p, i) => Buffer.from(`${i > 0 ? '"' : ''}${p}${i < 2 ? '"' : ''}`)),
      };
    });
    this.versions = this.templates.map(() => this.base);
  }

  /** The current resourceVersion (of the newest event, or of the pods before any). */
  get resourceVersion(): string {
    return String(this.base + this.head);
  }

  get size(): number {
    return this.templates.length;
  }

  /** Bytes of one pod's JSON as the feed sends it (the largest). */
  get objectBytes(): number {
    return Math.max(
      ...this.templates.map(
        (t) => t.parts.reduce((a, p) => a + p.length, 0) + 2 * String(this.base + this.head).length,
      ),
    );
  }

  /** Makes `count` flood events, each for the next pod of the schedule (pod 0 is the marker's). */
  flood(count: number): void {
    const n = this.templates.length;
    for (let i = 0; i < count; i++) {
      const k = this.floodEvents++;
      this.append(n > 1 ? 1 + ((k * 7919) % (n - 1)) : 0);
    }
    this.wake();
  }

  /** One event for pod 0 (the last write after the flood): its name and resourceVersion. */
  marker(): { name: string; resourceVersion: string } {
    this.append(0);
    this.wake();
    return { name: this.templates[0]?.name ?? '', resourceVersion: this.resourceVersion };
  }

  /** Name and resourceVersion of each pod now (what a fresh LIST returns). */
  state(): [string, string][] {
    return this.templates.map((t, i) => [t.name, String(this.versions[i])]);
  }

  statsNow(): ReplayStats {
    return {
      events: this.head,
      eventBytes: this.eventBytesTotal,
      ...this.stats,
      open: this.watchers.size,
    };
  }

  private append(pod: number): void {
    this.head++;
    this.ring[this.head % this.ring.length] = pod;
    const rv = this.base + this.head;
    this.versions[pod] = rv;
    this.eventBytesTotal += this.bytesOf(pod, rv) + MODIFIED.length + EVENT_TAIL.length;
  }

  private bytesOf(pod: number, rv: number): number {
    const t = this.templates[pod] as Template;
    return t.parts.reduce((a, p) => a + p.length, 0) + 2 * String(rv).length;
  }

  private wake(): void {
    for (const w of this.watchers) w.pump();
  }

  /** One pod's JSON at `rv`, framed as a watch event of `type` (or bare, for a LIST). */
  private encode(pod: number, rv: number, head?: Buffer): Buffer {
    const t = this.templates[pod] as Template;
    const v = Buffer.from(String(rv));
    const [a, b, c] = t.parts as [Buffer, Buffer, Buffer];
    return head ? Buffer.concat([head, a, v, b, v, c, EVENT_TAIL]) : Buffer.concat([a, v, b, v, c]);
  }

  /** The oldest event a watch can still be sent (1-based). */
  private get oldest(): number {
    return Math.max(1, this.head - this.ring.length + 1);
  }

  /** GET of the pods collection: one page of every pod at its current version. */
  serveList(res: ServerResponse): void {
    this.stats.lists++;
    const chunks: Buffer[] = [
      Buffer.from(
        `{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"${this.resourceVersion}"},"items":[`,
      ),
    ];
    this.templates.forEach((_, i) => {
      if (i > 0) chunks.push(Buffer.from(','));
      chunks.push(this.encode(i, this.versions[i] as number));
    });
    chunks.push(Buffer.from(']}'));
    const body = Buffer.concat(chunks);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  }

  /** GET of one pod by name, or 404. */
  serveGet(res: ServerResponse, name: string): void {
    const i = this.templates.findIndex((t) => t.name === name);
    if (i < 0) {
      sendStatus(res, 404, 'NotFound', `pods "${name}" not found`);
      return;
    }
    const body = this.encode(i, this.versions[i] as number);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  }

  /**
   * A WATCH of pods: from `resourceVersion` (the events after it, from the ring; 410 Expired when
   * it is older than the ring), or, with none, `0` or `sendInitialEvents=true`, every pod as ADDED
   * first (with `sendInitialEvents`, then the `k8s.io/initial-events-end` bookmark). Each event is
   * written when the last was taken by the socket (`write` returned true, or after `drain`): a
   * watch is sent as fast as its reader reads, up to the newest event.
   */
  serveWatch(req: IncomingMessage, res: ServerResponse, params: URLSearchParams): void {
    this.stats.watches++;
    const from = params.get('resourceVersion') ?? '';
    const initial = params.get('sendInitialEvents') === 'true' || from === '' || from === '0';
    const bookmarks = params.get('allowWatchBookmarks') === 'true';
    const timeoutS = Number(params.get('timeoutSeconds') ?? 0);
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    let cursor: number;
    const pending: Buffer[] = [];
    if (initial) {
      cursor = this.head;
      this.templates.forEach((_, i) => {
        pending.push(this.encode(i, this.versions[i] as number, ADDED));
      });
      if (params.get('sendInitialEvents') === 'true')
        pending.push(bookmark(this.resourceVersion, { 'k8s.io/initial-events-end': 'true' }));
    } else {
      const r = Number(from) - this.base;
      if (!Number.isInteger(r) || r < this.oldest - 1 || r > this.head) {
        this.stats.expired++;
        res.end(expired(from));
        return;
      }
      cursor = r;
    }
    let closed = false;
    let waiting = false;
    let lastWrite = Date.now();
    const write = (b: Buffer) => {
      this.stats.watchBytes += b.length;
      lastWrite = Date.now();
      return res.write(b);
    };
    const watcher: Watcher = {
      pump: () => {
        if (closed || waiting) return;
        for (;;) {
          let next = pending.shift();
          if (!next) {
            if (cursor >= this.head) return;
            if (cursor + 1 < this.oldest) {
              // Behind the ring: the events it would need are gone.
              this.stats.expired++;
              end(expired(String(this.base + cursor)));
              return;
            }
            this.stats.maxLagEvents = Math.max(this.stats.maxLagEvents, this.head - cursor);
            cursor++;
            next = this.encode(this.ring[cursor % this.ring.length] as number, this.base + cursor, MODIFIED);
          }
          if (!write(next)) {
            waiting = true;
            res.once('drain', () => {
              waiting = false;
              watcher.pump();
            });
            return;
          }
        }
      },
    };
    const timers: NodeJS.Timeout[] = [];
    const end = (last?: Buffer) => {
      if (closed) return;
      closed = true;
      this.watchers.delete(watcher);
      for (const t of timers) clearTimeout(t);
      if (last) res.end(last);
      else res.end();
    };
    if (timeoutS > 0) timers.push(setTimeout(() => end(), timeoutS * 1000));
    if (bookmarks) {
      const every = setInterval(() => {
        if (!waiting && cursor >= this.head && Date.now() - lastWrite >= this.bookmarkEveryMs / 2)
          write(bookmark(String(this.base + cursor)));
      }, this.bookmarkEveryMs);
      timers.push(every);
    }
    req.on('close', () => end());
    res.on('close', () => end());
    this.watchers.add(watcher);
    watcher.pump();
  }
}

function bookmark(resourceVersion: string, annotations?: Record<string, string>): Buffer {
  const metadata = { resourceVersion, ...(annotations ? { annotations } : {}) };
  return Buffer.from(
    `${JSON.stringify({ type: 'BOOKMARK', object: { kind: 'Pod', apiVersion: 'v1', metadata } })}\n`,
  );
}

/** A `Status` of failure, as the API server writes one (in an answer, or as a watch's ERROR event). */
function failure(code: number, reason: string, message: string) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function expired(from: string): Buffer {
  const status = failure(410, 'Expired', `too old resource version: ${from}`);
  return Buffer.from(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
}

export function sendStatus(res: ServerResponse, code: number, reason: string, message: string): void {
  res
    .writeHead(code, { 'content-type': 'application/json' })
    .end(JSON.stringify(failure(code, reason, message)));
}

/**
 * What a request of the feed's pods is: a LIST or WATCH of the collection (all namespaces, or the
 * feed's namespace), a GET of one pod, or not the feed's (undefined: another kind, or a write).
 */
export function podsRequest(
  method: string,
  url: URL,
  namespace: string,
): { type: 'list' } | { type: 'watch' } | { type: 'get'; name: string } | { type: 'refused' } | undefined {
  const p = url.pathname.replace(/\/+$/, '');
  const collection = p === '/api/v1/pods' || p === `/api/v1/namespaces/${namespace}/pods`;
  const one = new RegExp(`^/api/v1/namespaces/${namespace}/pods/([^/]+)$`).exec(p);
  if (!collection && !one) return undefined;
  if (method !== 'GET') return { type: 'refused' };
  if (one) return { type: 'get', name: decodeURIComponent(one[1] as string) };
  const watch = url.searchParams.get('watch');
  return watch === 'true' || watch === '1' ? { type: 'watch' } : { type: 'list' };
}
