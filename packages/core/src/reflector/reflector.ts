import { defer } from '../defer.js';
import type { ResourceType } from '../discovery/types.js';
import { collectionPath } from '../discovery/types.js';
import {
  ApiError,
  type ApiErrorContext,
  apiErrorFromResponse,
  apiErrorFromStatus,
  describeRequest,
} from '../errors/api-error.js';
import { isForbidden, isGone, isUnserved } from '../errors/predicates.js';
import type { KubernetesList, KubernetesObject } from '../model/object.js';
import { sleep } from '../sleep.js';
import {
  listCompleted,
  listPage,
  listStarted,
  poisonLine,
  reflectorStatus,
  type WatchEventPayload,
  watchEvents,
} from '../store/actions.js';
import type { ErrorInfo, ReflectorPhase } from '../store/state.js';
import { METADATA_ACCEPT, METADATA_LIST_ACCEPT } from '../transport/media-type.js';
import { whenSent } from '../transport/sent.js';
import { type DropBody, readLinesOf, type Transport, type TransportResponse } from '../transport/types.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { metadataOnly, type ObjectTransform, parseWatchLine, stampKind } from './ingest.js';
import { dropIf, type ListHead, peekListHead, type SampleOf, sampleItems } from './list-page.js';

/** What a reflector watches. */
export interface ReflectorTarget {
  readonly key: string;
  readonly resource: ResourceType;
  readonly namespace?: string;
  readonly labelSelector: string;
  readonly fieldSelector: string;
  /**
   * The oldest resourceVersion the first list may show (the client's newest write of the kind,
   * see `WrittenVersions`), read when the list starts; undefined: the list is consistent (as new
   * as etcd).
   */
  readonly notOlderThan?: () => string | undefined;
  /**
   * Metadata only: lists and watches ask for `PartialObjectMetadata` (see `media-type.ts`), and
   * each object is held as an ordinary object of its kind with `metadataOnly: true`.
   */
  readonly metadataOnly?: boolean;
}

/** Items a page of a reflector's list asks for, unless told otherwise (see `pageSize`). */
export const DEFAULT_LIST_PAGE_SIZE = 2000;

/**
 * Pages (`pageSize` each) of the largest collection `initialList: 'auto'` lists: a larger one is
 * streamed (see `initialList`).
 */
export const STREAMED_ABOVE_PAGES = 10;

/**
 * Characters of JSON (bytes, for ASCII) above which `initialList: 'auto'` streams a collection
 * whatever its count: 40 MiB. A page's text is held whole and parsed at once, and a process cannot
 * read its socket while it parses one; a streaming list parses each object as it comes. Measured
 * from fresh processes on kube-apiserver (bench consumers, 2026-12-07; Pods of 4.9 KB):
 * - 5k Pods (23 MiB): listed 1.01 to 1.09 s, streamed 1.18 to 1.25 (5 runs each): its pass over
 *   the whole cache of the resource (15k Pods) costs the stream more than the pages cost the list.
 * - 10k Pods (46 MiB): listed 1.46 to 1.92 s, streamed 1.44 to 2.29 (10 runs each over three runs
 *   of the bench; medians 1.65 and 1.59).
 * - On the bench's in-memory server, 10k Pods: listed 1.59 and 2.14 s, streamed 1.36 and 1.70.
 * The two ways cross between 5k and 10k Pods; 40 MiB is some 8.6k Pods, and 20k ConfigMaps of
 * 1 KB (the count rule's bound, `STREAMED_ABOVE_PAGES`) are 21 MiB. It also bounds what a list
 * holds as text: objects of 21 KB or more are streamed from a collection of more than one page
 * (pages of 2000 of them are 42 MB or more each), and objects of 60 KB or more (large custom
 * resources, ConfigMaps of bundled files) always, where a page of 2000 of them could pass V8's
 * longest string (512 MiB at 256 KB an object), and such a list could never be read.
 */
export const STREAMED_ABOVE_CHARS = 40 * 1024 * 1024;

/**
 * Whether `initialList: 'auto'` streams the collection whose first LIST page starts with `head` and
 * the items `sampleOf` reads (undefined: not yet come; an undefined answer: read more and ask
 * again); they are read only where the count does not decide.
 * - A collection of more than one page: streamed where it is more than `STREAMED_ABOVE_PAGES`
 *   pages, or more than `STREAMED_ABOVE_CHARS` of JSON by estimate: the mean item of the sample
 *   times the items (the page's and those the server says remain; where it does not say, a label
 *   or field selector, the page's alone).
 * - A collection that fits in its first page (no continue token): listed, unless its first item
 *   does not end within the sample (items of 60k characters or more, of which a page of 2000 could
 *   be past what one string holds).
 * Proved by the reflector tests of 'by default (initialList auto)' (reflector.test.ts).
 */
function streamsBetter(head: ListHead, sampleOf: SampleOf, pageSize: number): boolean | undefined {
  const remaining = head.remainingItemCount ?? 0;
  if (head.continue !== undefined && pageSize + remaining > STREAMED_ABOVE_PAGES * pageSize) return true;
  if (head.continue === undefined) {
    // One item that ends tells enough: a page's first items are scanned a character at a time, in
    // code not yet compiled at a first list (8 items of 1000 ConfigMaps: 1 to 7 ms, Node 24).
    const first = sampleOf(1);
    return first === undefined ? undefined : first.items === 0 && !first.ended;
  }
  const sample = sampleOf();
  if (sample === undefined) return undefined;
  const perItem = sample.items > 0 ? sample.chars / sample.items : sample.chars;
  return perItem * (pageSize + remaining) > STREAMED_ABOVE_CHARS;
}

/** Reflector settings; defaults follow client-go, except the page size. */
export interface ReflectorOptions {
  /**
   * Page size of lists (default 2000; client-go's is 500). Each page costs the API server and the
   * client a request's worth of work besides its objects: 100k ConfigMaps from the in-memory API
   * server (2 cores, Node 24) took 5.0 to 5.8 s to fetch and parse in pages of 500, 2.9 to 3.1 s in
   * pages of 2000, 2.8 to 2.9 s in pages of 5000. 2000 keeps most of the gain with pages of a few
   * MB, two in memory at once (one read, one parsed). kube-apiserver 1.34 and later serve these
   * consistent pages from their watch cache's snapshots.
   */
  readonly pageSize?: number;
  /**
   * How the initial list is made:
   * - `auto` (default): the first LIST page (`pageSize`) tells the size of the collection: its
   *   count (the API server's `remainingItemCount`) and, from its first items, its bytes. A
   *   collection of up to ten pages (`STREAMED_ABOVE_PAGES`; 20,000 objects at the default page
   *   size) and up to 40 MiB of JSON (`STREAMED_ABOVE_CHARS`; some 8,600 Pods) is listed on from
   *   that page; a larger one is streamed, and the page is dropped: read only as far as its head
   *   and first items where the transport can stop there (`TransportResponse.textUnless`; the
   *   Node transport can).
   * - `list`: consistent LIST pages (the next asked for while the current one is parsed), then a
   *   watch.
   * - `stream`: a watch with `sendInitialEvents=true` that ends its initial state with the
   *   `k8s.io/initial-events-end` bookmark, then goes on as the watch. The API server holds no list
   *   in memory for it (KEP-3157).
   *
   * Why `auto`: kube-apiserver 1.37 starts a streaming list with a pass over its whole cache of the
   * resource (k8s.io/apiserver v0.37.2, `newCacheIntervalFromStore`: the initial events come from a
   * snapshot of the whole resource, each object then matched against the watch), where a LIST reads
   * only the namespace; and a LIST costs a request per page, where a stream is one. From fresh
   * processes (bench consumers; kube-apiserver holding 181k ConfigMaps in all; 2026-12-06), kates-ts
   * to its first snapshot, LIST pages against the stream:
   * - 1k ConfigMaps: 75 to 107 ms against 176 to 295; 1k Pods beside 10k: 178 to 193 ms against
   *   281 to 292.
   * - 10k ConfigMaps: 464 to 480 ms against 465 to 894; 20k: 846 to 977 ms against 780 to 1,253
   *   (as fast, and the stream less steady: its pass over the whole cache).
   * - 50k ConfigMaps: 1.9 to 2.4 s against 1.6 to 1.8; 100k: 4.2 to 4.8 s against 2.7 to 3.4.
   * - Pods (4.9 KB each) cross sooner, by their bytes (`STREAMED_ABOVE_CHARS`): 5k listed faster,
   *   10k as fast either way.
   *
   * The rule follows kube-apiserver. On the bench's in-memory server the stream is faster from
   * 10k (Pods: 1.65 to 2.26 s listed against 1.44 to 1.66 streamed), and at 100k Pods 18.7 s
   * against 8.7.
   *
   * Why a full first page rather than a page of one object to tell the size first: the page of one
   * object cost a request's round trip (10 to 16 ms) to every list of 1k, most of the difference
   * between kates-ts (117 ms) and one LIST (82 to 85 ms). A page to be dropped is read as far as
   * its head: the stream was asked for 2 to 3 ms after the page's headers came (30k ConfigMaps,
   * where reading the page whole took another 30 to 90 ms). Read whole (a transport that cannot
   * stop), it costs at most a tenth of what the list would have, where the stream is faster by
   * more. A collection with a label or field selector has no `remainingItemCount`: it is listed,
   * unless its first page alone is more than 40 MiB by estimate.
   * A server that refuses a streaming list (400, 422: the WatchList feature off) or ignores it (an
   * event other than ADDED, or a bookmark without the annotation, before the end) is listed
   * instead, and this reflector lists from then on. Proved by 'lists a collection of up to
   * ten pages on from its first page', 'streams a collection of more than ten pages, and stores
   * nothing of the page that told its size', 'streams a collection of few large objects, judged
   * by the first items of its first page', 'judges the whole page where the transport cannot
   * stop at its head' and 'falls back to a list, for good, where the server refuses a streaming
   * list' and '... ignores ...' (reflector.test.ts); the Node transport's stop by 'ends the request
   * of a body whose start says it is not wanted, and reads a wanted one whole' (node.test.ts).
   */
  readonly initialList?: 'auto' | 'list' | 'stream';
  /** Server-side watch timeout range, seconds (default 300 to 600). */
  readonly watchTimeoutSeconds?: readonly [number, number];
  /** No line (event or bookmark) for this long and the watch is dropped and re-made (default 150 s). */
  readonly inactivityTimeoutMs?: number;
  /** A watch that ends this soon with no line counts as a failure (default 1000 ms). */
  readonly minWatchMs?: number;
  /** Wait before retrying after 403 Forbidden or an unserved resource (default 30 s). */
  readonly slowRetryMs?: number;
  readonly backoff?: BackoffOptions;
  readonly transform?: ObjectTransform;
  /**
   * Receives the JSON text of each object a watch event brought, as the API server wrote it, keyed
   * by the object the store gets: for a caller that sends objects on as JSON (the dashboard proxy)
   * and so need not serialize them again. Only objects taken as they came (no `transform`, no
   * metadata-only watch) from lines of kube-apiserver's shape; listed objects are not in it. The
   * texts live as long as their objects do. Proved by 'maps each watched object to its text in
   * the line, and nothing it changed' (ingest.test.ts).
   */
  readonly objectTexts?: WeakMap<object, string>;
  /** Most events in one action (default 1000). */
  readonly maxBatch?: number;
}

type Dispatch = (action: { type: string }) => unknown;

/**
 * How long the event loop must have waited idle since a watch's last read for its next read to be
 * dispatched at once rather than at the end of the loop's turn, ms. Measured on the in-memory
 * server, 10k ConfigMaps, single writes 100 ms apart (2026-12-05): the wait for the loop's turn
 * cost 50 to 130 us of a change's way from the socket to the consumer (about 300 to 400 us in
 * all, the process cold from its pause), where client-node's whole way took about 190 us.
 *
 * Why the loop's idle time and not the time since the last read: a consumer woken by a dispatch
 * runs before the next read is taken, so after an `update()` of 2.5 ms (100k objects) every read
 * looked quiet; each was dispatched alone and woke the consumer again, and at 500 writes a second
 * its latency went from 12 ms to 1.5 s (bench, in-memory server, 100k ConfigMaps, one run). The
 * idle time grows only while the process waits for I/O.
 */
const QUIET_MS = 1;

/**
 * The event loop's idle time so far, ms, where the runtime measures it (Node's
 * `performance.nodeTiming.idleTime`); undefined elsewhere (browsers), where every read waits for
 * the end of the loop's turn.
 *
 * Why `nodeTiming.idleTime` and not `performance.eventLoopUtilization().idle`, the same number:
 * the first call after the process has waited (a watch read after a quiet spell, the one whose
 * latency counts) took 15 to 37 µs for `eventLoopUtilization()` (it reads two more clocks and
 * builds an object) against 4 to 5 µs for `idleTime` (medians of 40 calls, each after 50 ms idle,
 * Node 24, 2026-12-06).
 */
function loopIdleMs(): number | undefined {
  // Test clocks (fake timers) stand in a performance without nodeTiming, or whose members are
  // functions that give nothing.
  const timing = (globalThis.performance as { nodeTiming?: { idleTime?: unknown } } | undefined)?.nodeTiming;
  const idle = timing?.idleTime;
  return typeof idle === 'number' ? idle : undefined;
}

/**
 * Keeps the store's copy of one collection in step with the API server, and never gives up
 * until stopped. Read `run()` top to bottom:
 *
 * 1. List (paginated and consistent; or a streaming list) into a pending set; `listCompleted`
 *    swaps it in atomically.
 * 2. Watch from the list's resourceVersion with bookmarks, until the server's timeout; then
 *    watch again from the last resourceVersion seen.
 * 3. 410 Gone (as an HTTP status or an ERROR event): list again (step 1), consistently.
 * 4. Network errors, 429 and 5xx: watch again from the same resourceVersion after a backoff
 *    (0.8 s doubling to 30 s, jittered, reset after 2 minutes of health; Retry-After honoured).
 * 5. 403: reported as `forbidden`, retried slowly. 404: `unserved` (a CRD removed), retried slowly.
 *
 * Errors are data: each one is written to the store as the query's status.
 */
export class Reflector {
  private readonly abort = new AbortController();
  private readonly dispatch: Dispatch;
  private readonly backoff: Backoff;
  private readonly options: Required<Omit<ReflectorOptions, 'backoff' | 'transform' | 'objectTexts'>> &
    Pick<ReflectorOptions, 'transform' | 'objectTexts'>;
  private resourceVersion = '';
  /** The open watch request, aborted when it stalls or ends. */
  private current: AbortController | undefined;
  private running: Promise<void> | undefined;
  private phase: ReflectorPhase = 'pending';
  /** The server refused or ignored a streaming list: list from then on. */
  private streamUnserved = false;
  /** The streaming list in progress reached its initial-events-end bookmark. */
  private streamedList = false;

  constructor(
    private readonly transport: Transport,
    dispatch: Dispatch,
    private readonly target: ReflectorTarget,
    options: ReflectorOptions = {},
  ) {
    // A stopped reflector never writes again: its key may already belong to a new one.
    this.dispatch = (action) => (this.abort.signal.aborted ? undefined : dispatch(action));
    this.backoff = new Backoff(options.backoff);
    this.options = {
      pageSize: options.pageSize ?? DEFAULT_LIST_PAGE_SIZE,
      initialList: options.initialList ?? 'auto',
      watchTimeoutSeconds: options.watchTimeoutSeconds ?? [300, 600],
      inactivityTimeoutMs: options.inactivityTimeoutMs ?? 150_000,
      minWatchMs: options.minWatchMs ?? 1000,
      slowRetryMs: options.slowRetryMs ?? 30_000,
      maxBatch: options.maxBatch ?? 1000,
      transform: target.metadataOnly ? metadataOnly(target.resource, options.transform) : options.transform,
      objectTexts: options.objectTexts,
    };
  }

  /** Starts the loop; resolves when stopped. */
  start(): Promise<void> {
    this.running ??= this.run();
    return this.running;
  }

  /** Stops it: aborts the open request and ends the loop. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  /** Writes a phase to the store; `null` clears the last error. */
  private setPhase(phase: ReflectorPhase, error: ErrorInfo | null): void {
    this.phase = phase;
    this.dispatch(
      reflectorStatus({
        key: this.target.key,
        phase,
        error,
        ...(error === null ? { attempt: 0, retryAt: null } : {}),
      }),
    );
  }

  private get path(): string {
    return collectionPath(this.target.resource, this.target.namespace);
  }

  /** What a request of this watch asks for, as its errors name it. */
  private context(verb: 'list' | 'watch'): ApiErrorContext {
    const t = this.target;
    return {
      verb,
      resource: `${t.resource.resource}${t.resource.group ? `.${t.resource.group}` : ''}`,
      ...(t.namespace ? { namespace: t.namespace } : {}),
      labelSelector: t.labelSelector,
      fieldSelector: t.fieldSelector,
    };
  }

  /** `watch configmaps in namespace "x" (labels app=web)`: what errors without an answer name. */
  private get what(): string {
    return describeRequest(this.context('watch'));
  }

  /** The error of a failed answer. */
  private async failure(res: TransportResponse, verb: 'list' | 'watch'): Promise<ApiError> {
    const body = await res.text().catch(() => '');
    return apiErrorFromResponse(res.status, body, this.context(verb), res.headers['retry-after']);
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    let needList = true;
    let consistentList = false;
    while (!signal.aborted) {
      try {
        if (needList) {
          this.streamedList = false;
          const how = this.options.initialList;
          const listed =
            how !== 'stream' && (await this.list(consistentList, how === 'auto' && !this.streamUnserved));
          // Streamed, the stream went on as a watch and ended: watch again from where it got to.
          if (!listed && (this.streamUnserved || !(await this.streamingList(consistentList)))) {
            await this.list(consistentList, false);
          }
          needList = false;
          this.backoff.success();
          continue;
        }
        await this.watch();
        this.backoff.success();
      } catch (e) {
        if (signal.aborted) break;
        // A streaming list that reached its initial-events-end bookmark went on as a watch: what
        // failed then was the watch, which resumes from where it got to (no list again). Proved by
        // 'resumes a streaming list's watch after a dropped connection, without listing again'.
        if (needList && this.streamedList) needList = false;
        if (isGone(e)) {
          // Our resourceVersion is too old: list again, from etcd (consistent), not from a cache
          // that might be as old as what we had.
          needList = true;
          consistentList = true;
          this.setPhase('relisting', this.errorInfo(e));
          continue;
        }
        await this.failed(e);
      }
    }
  }

  /** Reports a failure and waits before the next attempt. */
  private async failed(e: unknown): Promise<void> {
    const phase = isForbidden(e) ? 'forbidden' : isUnserved(e) ? 'unserved' : 'backing-off';
    const retryAfterMs = (e instanceof ApiError ? (e.retryAfterSeconds ?? 0) : 0) * 1000;
    const wait =
      phase === 'backing-off' ? this.backoff.failure(Date.now(), retryAfterMs) : this.options.slowRetryMs;
    this.phase = phase;
    this.dispatch(
      reflectorStatus({
        key: this.target.key,
        phase,
        error: this.errorInfo(e),
        attempt: this.backoff.attempts,
        retryAt: new Date(Date.now() + wait).toISOString(),
        count: 'reconnects',
      }),
    );
    await sleep(wait, this.abort.signal);
  }

  private errorInfo(e: unknown): ErrorInfo {
    const at = new Date().toISOString();
    if (e instanceof ApiError) return { message: e.message, code: e.code, reason: e.reason, at };
    return { message: `${this.what}: ${(e as Error)?.message ?? String(e)}`, reason: (e as Error)?.name, at };
  }

  /**
   * A paginated LIST into the pending set, then `listCompleted`. Each page is asked for before the
   * one before it is parsed and dispatched (its continue token read from the front of that page's
   * text), and that page waits until the request has been sent (`TransportRequest.onSent`), so
   * that the API server prepares the next page meanwhile: one page in flight, one being read,
   * whatever the size of the collection.
   *
   * Why wait for the send: a request made and not yet written waits for the process. The Node
   * transport applies the kubeconfig's authentication asynchronously first, and undici writes a
   * request to a kept-alive connection only on a later turn of the event loop (it looks first for
   * bytes the server may have sent on it since); so a page parsed at once held the next one back
   * until it was stored, and the server began it only then (undici's diagnostics channels, pages
   * of 2000). Waiting for the send, a list of 10k ConfigMaps from kube-apiserver over loopback took
   * 369 to 479 ms (median 412) with gzip against 445 to 494 (461), and 389 to 443 (398) without
   * against 368 to 618 (410), eight runs of each, alternated; from the in-memory server 384 to 536
   * (446) against 396 to 783 (452); through a proxy adding 5 ms each way, without gzip, a prototype
   * that waited two turns of the event loop instead took 487 to 602 ms (540) against 583 to 643
   * (596), six runs each (2026-12-07). Proved by 'parses a page once the next page has been sent,
   * without waiting for its answer' (reflector.test.ts).
   *
   * With `orStream`, where the first page says the collection is to be streamed (more than
   * `STREAMED_ABOVE_PAGES` pages or `STREAMED_ABOVE_CHARS` of JSON, see `streamsBetter`), this
   * returns false, having stored nothing, and the caller streams it.
   */
  private async list(consistent: boolean, orStream: boolean): Promise<boolean> {
    const key = this.target.key;
    const { pageSize } = this.options;
    this.dispatch(listStarted({ key }));
    // What `streamsBetter` answered of the first page's start, as the transport read it.
    let judged: boolean | undefined;
    const streamed = (head: ListHead | undefined, sample: SampleOf) => {
      if (!orStream || head === undefined) return false;
      judged = streamsBetter(head, sample, pageSize);
      return judged;
    };
    // A page to be dropped is read only as far as its head and first items, where the transport
    // can stop there.
    const first = await this.firstPage(consistent, pageSize, orStream ? dropIf(streamed) : undefined);
    if (first === undefined) return false;
    let body = first;
    let head = peekListHead(body);
    // Judged once: again here only where the transport read the page whole without asking.
    if (judged === undefined && streamed(head, (most) => sampleItems(body, false, most))) return false;
    let resourceVersion = '';
    for (;;) {
      const peeked = head?.continue;
      const next = peeked === undefined ? undefined : whenSent((onSent) => this.nextPage(peeked, onSent));
      // The next page on its way before this one is parsed (see above).
      if (next) await next.sent;
      const page = JSON.parse(body) as KubernetesList;
      body = '';
      const items = this.pageItems(page.items ?? []);
      if (items.length) this.dispatch(listPage({ key, items }));
      const continueToken = page.metadata?.continue || undefined;
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      if (!continueToken) break;
      body = await (next && continueToken === peeked ? next.answer : this.nextPage(continueToken));
      head = peekListHead(body);
    }
    this.resourceVersion = resourceVersion;
    this.dispatch(listCompleted({ key, resourceVersion }));
    this.setPhase('watching', null);
    return true;
  }

  /**
   * A LIST page's items as the store takes them: transformed, kind stamped, and without the items
   * that have no uid (each reported as a poison line). A loop rather than `flatMap`: a first list
   * runs this once per page, in code not yet compiled, where `flatMap` with its array per item
   * cost 5 to 7 ms more than a loop for 1000 ConfigMaps in a fresh process (Node 24; the same at
   * 10k, where both are compiled before the end).
   */
  private pageItems(raw: readonly KubernetesObject[]): KubernetesObject[] {
    const { transform } = this.options;
    const items: KubernetesObject[] = [];
    for (let i = 0; i < raw.length; i++) {
      const item = raw[i];
      if (!item?.metadata?.uid) {
        this.dispatch(poisonLine({ key: this.target.key, text: 'list item without metadata.uid' }));
        continue;
      }
      items.push(stampKind(transform ? transform(item) : item, this.target.resource));
    }
    return items;
  }

  /**
   * The version a first list must not be older than: the client's newest write of the kind, or
   * undefined for a consistent list (asked for, or no write).
   */
  private notOlderThan(consistent: boolean): string | undefined {
    return consistent ? undefined : this.target.notOlderThan?.();
  }

  /**
   * The first page of a list, as text: consistent (no resourceVersion: as new as etcd), or, when
   * the client has written the kind, not older than its newest write (`notOlderThan`).
   *
   * Why not resourceVersion "0", as client-go lists: kube-apiserver answers a list at "0" from its
   * watch cache whole, whatever the limit. That is one body for the whole collection, which a
   * client can only parse once all of it has arrived (10k Pods: 50 MB; at 100k, past V8's 512 MB
   * string limit, the failure client-node met on the bench's in-memory server), and it may be older
   * than what the client saw before (a lagging cache). A consistent list comes in pages (served
   * from the cache's snapshots since kube-apiserver 1.34, from etcd before), and each page is
   * parsed and stored while the API server prepares the next (`list`). Measured on the real
   * kube-apiserver, 10k Pods, 5 rounds at load 5 to 8: one LIST at "0" 2.8 s median, consistent
   * pages of 2000 2.3 s (bench/RESULTS.md has the quiet numbers).
   */
  private async firstPage(consistent: boolean, limit: number, drop?: DropBody): Promise<string | undefined> {
    let notOlderThan = this.notOlderThan(consistent);
    for (;;) {
      const res = await this.requestList({
        limit,
        resourceVersion: notOlderThan,
        resourceVersionMatch: notOlderThan ? 'NotOlderThan' : undefined,
      });
      if (res.status === 200) return drop && res.textUnless ? res.textUnless(drop) : res.text();
      const err = await this.failure(res, 'list');
      // The cache did not reach our writes' version in time (504 "Too large resource version"),
      // or the server refuses the match: a consistent list, which is as new as anything.
      if (notOlderThan && (err.code === 504 || err.code === 400)) {
        notOlderThan = undefined;
        continue;
      }
      throw err;
    }
  }

  /**
   * A page after the first, as text: its continue token carries the list's version. An expired
   * token (410 Gone) throws, and the caller lists again from etcd.
   */
  private async nextPage(continueToken: string, onSent?: () => void): Promise<string> {
    const res = await this.requestList({ limit: this.options.pageSize, continue: continueToken, onSent });
    if (res.status !== 200) throw await this.failure(res, 'list');
    return res.text();
  }

  private requestList(page: {
    limit: number;
    onSent?: () => void;
    continue?: string;
    resourceVersion?: string;
    resourceVersionMatch?: string;
  }) {
    return this.transport.request({
      method: 'GET',
      path: this.path,
      query: {
        limit: page.limit,
        continue: page.continue,
        resourceVersion: page.resourceVersion,
        resourceVersionMatch: page.resourceVersionMatch,
        labelSelector: this.target.labelSelector || undefined,
        fieldSelector: this.target.fieldSelector || undefined,
      },
      ...(this.target.metadataOnly ? { accept: METADATA_LIST_ACCEPT } : {}),
      ...(page.onSent ? { onSent: page.onSent } : {}),
      signal: this.abort.signal,
    });
  }

  /**
   * A streaming list: initial ADDED events into the pending set until the bookmark annotated
   * `k8s.io/initial-events-end`, then the same stream goes on as a watch. Returns false where the
   * server refuses or ignores it (the caller falls back to a LIST, and this reflector lists from
   * then on): a 400 or 422 answer, or, from a server that does not know `sendInitialEvents` and
   * starts a plain watch with synthetic ADDED events, an event other than ADDED or a bookmark
   * without the annotation before the end. Its state is as new as etcd (`consistent`, or no
   * write of the kind by the client), or not older than the client's newest write of the kind
   * (`notOlderThan`: a cache in between serves it once it has reached that write).
   */
  private async streamingList(consistent: boolean): Promise<boolean> {
    const key = this.target.key;
    const notOlderThan = this.notOlderThan(consistent);
    const res = await this.openWatch({
      sendInitialEvents: true,
      resourceVersionMatch: 'NotOlderThan',
      resourceVersion: notOlderThan ?? '',
    });
    if (res.status === 400 || res.status === 422) {
      await res.text().catch(() => '');
      this.streamUnserved = true;
      return false;
    }
    if (res.status !== 200) throw await this.failure(res, 'list');
    this.dispatch(listStarted({ key }));
    let initial = true;
    let batch: KubernetesObject[] = [];
    await this.consume(res, (event) => {
      if (!initial) return false;
      if (event.type === 'BOOKMARK') {
        if (event.object.metadata?.annotations?.['k8s.io/initial-events-end'] !== 'true')
          throw new StreamIgnored();
        if (batch.length) this.dispatch(listPage({ key, items: batch }));
        batch = [];
        initial = false;
        this.resourceVersion = event.object.metadata?.resourceVersion ?? this.resourceVersion;
        this.dispatch(listCompleted({ key, resourceVersion: this.resourceVersion }));
        this.streamedList = true;
        this.setPhase('watching', null);
        return true;
      }
      if (event.type !== 'ADDED') throw new StreamIgnored();
      batch.push(event.object);
      if (batch.length >= this.options.maxBatch) {
        this.dispatch(listPage({ key, items: batch }));
        batch = [];
      }
      return true;
    }).catch((e: unknown) => {
      if (!(e instanceof StreamIgnored)) throw e;
      this.streamUnserved = true;
    });
    if (this.streamUnserved) return false;
    if (initial) throw new Error('the streaming list ended before its initial-events-end bookmark');
    return true;
  }

  /** Opens a watch request; its own abort signal ends it (on inactivity), as does stop(). */
  private openWatch(extra: Record<string, string | boolean | undefined>) {
    const [lo, hi] = this.options.watchTimeoutSeconds;
    const own = new AbortController();
    this.current = own;
    return this.transport.request({
      method: 'GET',
      path: this.path,
      query: {
        watch: true,
        allowWatchBookmarks: true,
        timeoutSeconds: Math.floor(lo + Math.random() * (hi - lo)),
        resourceVersion: this.resourceVersion,
        labelSelector: this.target.labelSelector || undefined,
        fieldSelector: this.target.fieldSelector || undefined,
        ...extra,
      },
      ...(this.target.metadataOnly ? { accept: METADATA_ACCEPT } : {}),
      signal: AbortSignal.any([this.abort.signal, own.signal]),
    });
  }

  /** One watch from the last resourceVersion, until the server ends it. */
  private async watch(): Promise<void> {
    const res = await this.openWatch({});
    if (res.status !== 200) throw await this.failure(res, 'watch');
    if (this.phase !== 'watching') this.setPhase('watching', null);
    await this.consume(res, () => false);
  }

  /**
   * Reads a watch stream to its end, dispatching its events in batches. Each read's lines are
   * taken in the transport's callback that brings them (`readLinesOf`; the Node transport has
   * one), with no promise turn between the bytes and the parser. A read the process was
   * waiting for (the event loop idle for {@link QUIET_MS} since the last read) is dispatched as
   * soon as its lines are parsed: a change after a pause reaches the store without waiting for the
   * loop's turn, or for the transport to finish the read (proved by 'hands each chunk's lines to
   * the reader in the callback that brings them', stream-request.test.ts). Reads that come while
   * the process is busy (a burst, steady load, a consumer's update) are kept for the end of the
   * loop's turn, so that all that arrived together is one action, and a consumer is woken once
   * for them. Where the runtime measures the loop's idle time
   * (Node), they are kept on while the stream brings a further read every turn: a burst the server
   * writes faster than the loop turns is one action (up to `maxBatch`) once the first turn with no
   * further read ends, not one per turn (a burst of 1001 events woke the consumer 3 to 7 times,
   * and 2 with this; bench/src/micro/churn-latency.ts `--burst`, 2026-12-06). Proved by
   * 'dispatches the read the process was waiting for at once', 'keeps lines that arrive in
   * separate reads of one turn of the event loop in one action', 'keeps the reads of a burst in
   * one action while every turn of the loop brings another', 'dispatches a batch that reaches
   * maxBatch without waiting for the burst to end' and 'dispatches one action a turn where the
   * runtime does not measure the loop (browsers)' (reflector.test.ts). `intercept` consumes
   * events of a streaming list (returns true).
   */
  private async consume(
    res: Awaited<ReturnType<Transport['request']>>,
    intercept: (event: WatchEventPayload) => boolean,
  ): Promise<void> {
    const key = this.target.key;
    const started = Date.now();
    let lines = 0;
    let batch: WatchEventPayload[] = [];
    const flush = () => {
      if (batch.length === 0) return;
      const events = batch;
      batch = [];
      this.dispatch(watchEvents({ key, events }));
    };
    // A flush deferred to the end of the loop's turn, and whether a read came after it was asked
    // for: then the burst goes on, and the flush waits for the end of the next turn.
    let deferred = false;
    let readSinceDeferred = false;
    const flushWhenReadsPause = () => {
      if (readSinceDeferred && batch.length > 0) {
        readSinceDeferred = false;
        defer(flushWhenReadsPause);
        return;
      }
      deferred = false;
      readSinceDeferred = false;
      flush();
    };
    const inactivity = new AbortController();
    // One timer for the watch's inactivity, not one per line: each read only notes its time, and
    // the timer, when it fires, sleeps again for what is left (re-arming a timer per line cost
    // about a tenth of a line's way from the socket to the store). Proved by 'drops a stalled
    // watch after its inactivity timeout and watches again' and 'keeps a watch whose lines come
    // more often than its inactivity timeout' (reflector.test.ts).
    const timeoutMs = this.options.inactivityTimeoutMs;
    let lastLineAt = Date.now();
    // The loop's idle time at the last read, for QUIET_MS.
    let idleAtLastRead = Number.NEGATIVE_INFINITY;
    const checkInactivity = () => {
      const idle = Date.now() - lastLineAt;
      if (idle >= timeoutMs) inactivity.abort();
      else timer = setTimeout(checkInactivity, timeoutMs - idle);
    };
    let timer = setTimeout(checkInactivity, timeoutMs);
    const onAbort = () => inactivity.abort();
    this.abort.signal.addEventListener('abort', onAbort, { once: true });
    const stalledError = () =>
      new Error(`no event or bookmark for ${this.options.inactivityTimeoutMs} ms; watching again`);
    // Each read's lines, in the transport's callback where it has one (readLinesOf): the change
    // is stored before the transport finishes the read that brought it. Nothing after the end.
    let reading = true;
    const onLines = (read: readonly string[]) => {
      if (!reading) return;
      lastLineAt = Date.now();
      const idle = loopIdleMs();
      const quiet = idle !== undefined && idle - idleAtLastRead >= QUIET_MS;
      if (idle !== undefined) idleAtLastRead = idle;
      for (const line of read) {
        lines++;
        const parsed = parseWatchLine(
          line,
          this.target.resource,
          this.options.transform,
          this.options.objectTexts,
        );
        if (parsed.kind === 'poison') {
          const text =
            this.target.resource.kind === 'Secret' && this.target.resource.group === ''
              ? `${parsed.reason} (a line of ${line.length} characters from a Secret watch; not shown)`
              : `${parsed.reason}: ${parsed.text}`;
          this.dispatch(poisonLine({ key, text }));
          continue;
        }
        if (parsed.kind === 'error') {
          flush();
          // 410 Gone among them: the caller lists again.
          throw apiErrorFromStatus(parsed.status, this.context('watch'));
        }
        const rv = parsed.event.object.metadata?.resourceVersion;
        if (!intercept(parsed.event)) {
          batch.push(parsed.event);
          if (rv) this.resourceVersion = rv;
          if (batch.length >= this.options.maxBatch) flush();
        }
      }
      if (quiet) flush();
      else if (batch.length > 0) {
        if (!deferred) {
          deferred = true;
          defer(flushWhenReadsPause);
        } else if (idle !== undefined) readSinceDeferred = true;
      }
    };
    const read = readLinesOf(res, onLines);
    try {
      // Settled by the stream's end or failure, or by inactivity. Not Promise.race with a promise
      // that lives as long as the watch.
      await new Promise<void>((resolve, reject) => {
        if (inactivity.signal.aborted) return reject(stalledError());
        inactivity.signal.addEventListener('abort', () => reject(stalledError()), { once: true });
        read.then(resolve, reject);
      });
    } finally {
      reading = false;
      clearTimeout(timer);
      this.abort.signal.removeEventListener('abort', onAbort);
      flush();
      // Frees the connection whatever ended the stream; a read that fails for it is the end we
      // asked for.
      this.current?.abort();
      read.catch(() => undefined);
    }
    if (lines === 0 && Date.now() - started < this.options.minWatchMs && !this.abort.signal.aborted)
      throw new Error('the watch closed at once with no events');
  }
}

/** A server that does not know `sendInitialEvents` answered a streaming list with a plain watch. */
class StreamIgnored extends Error {
  constructor() {
    super('the API server ignored sendInitialEvents: listing instead');
  }
}
