import { createNodeTransport, type KubernetesList, type KubernetesObject } from '@kates/core';
import { collectionPath, whenSent } from '@kates/core/internal';
import { KubeConfig } from '@kubernetes/client-node';
import { RESOURCES } from '../resources.js';
import { settledHeap } from '../stats.js';
import { type ConsumerConfig, type ConsumerLine, emitBootstrapped, type PeerName } from './protocol.js';

/** Page size of the paginated-500 floor: client-go's reflector default (and kates' before issue 18). */
export const LIST_PAGE_SIZE = 500;

/** Page size of the paginated-2000 floor: kates' reflector default (`DEFAULT_LIST_PAGE_SIZE`). */
export const LARGE_PAGE_SIZE = 2000;

/** The ways of getting a collection into parsed memory that the floor peers measure. */
export type FloorPeer = Extract<PeerName, `floor${string}`>;

/** Every floor peer: each a way of getting N objects from the API server into parsed memory, nothing else. */
export const FLOOR_PEERS: readonly FloorPeer[] = [
  'floor',
  'floor-unpaged',
  'floor-2000',
  'floor-stream',
  'floor-plain',
];

export const isFloor = (peer: PeerName): peer is FloorPeer => peer.startsWith('floor');

type Transport = ReturnType<typeof createNodeTransport>;

/**
 * A floor of a bootstrap: the collection fetched and parsed, the items kept, nothing else. No
 * library can reach the first snapshot faster over the same transport in the same way; the fastest
 * of the floor peers per case is the "true floor" the report compares with. Its heap per object is
 * "the raw parsed objects" that store memory is compared with.
 *
 * - `floor`: paginated LIST, 500 a page, one page at a time (client-go's default), first page at "0".
 * - `floor-unpaged`: one LIST at resourceVersion "0", no limit (client-node's informer lists unpaginated).
 * - `floor-2000`: consistent pages of 2000, the next asked for and sent before this one is parsed, as
 *   kates' reflector asks.
 * - `floor-stream`: a streaming list (`watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan`)
 *   read until the `k8s.io/initial-events-end` bookmark.
 * - `floor-plain`: `floor-unpaged` asking for no gzip (every other floor asks for it on a LIST, as
 *   kates-ts and client-go do by default). Over loopback, kube-apiserver's LIST of 10k ConfigMaps
 *   took 353 ms so, against 433 with gzip (medians of 5, 2026-12-07), and it was the true floor of
 *   kube-apiserver's 1k and 10k ConfigMaps in the full run of 21:05 (62.3 and 336 ms).
 */
export async function runFloor(config: ConsumerConfig, emit: (line: ConsumerLine) => void): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(config.kubeconfig);
  const transport = createNodeTransport(kc, { compression: config.peer !== 'floor-plain' });
  try {
    const baseHeap = settledHeap();
    const t0 = performance.now();
    const items = await floorList(transport, config, config.peer as FloorPeer);
    const ms = performance.now() - t0;
    emitBootstrapped(config, emit, ms, items, baseHeap);
  } finally {
    transport.close();
  }
}

/** The collection's objects, fetched the way `peer` does. */
export function floorList(
  transport: Transport,
  config: Pick<ConsumerConfig, 'kind' | 'namespace'>,
  peer: FloorPeer,
): Promise<KubernetesObject[]> {
  switch (peer) {
    case 'floor':
      return listAll(transport, config, LIST_PAGE_SIZE);
    case 'floor-unpaged':
    case 'floor-plain':
      return listAll(transport, config, undefined);
    case 'floor-2000':
      return listPrefetched(transport, config, LARGE_PAGE_SIZE);
    case 'floor-stream':
      return streamingList(transport, config);
  }
}

async function getText(
  transport: Transport,
  path: string,
  query: Record<string, string | number | boolean | undefined>,
  accept?: string,
  onSent?: () => void,
) {
  const res = await transport.request({
    method: 'GET',
    path,
    query,
    ...(accept ? { accept } : {}),
    ...(onSent ? { onSent } : {}),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`LIST ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return text;
}

/**
 * Every object of the collection, by pages of `pageSize` (one at a time), or in one LIST where
 * `pageSize` is undefined. The first page at resourceVersion "0", as the reflectors ask for it
 * (served from the API server's watch cache, which answers it whole whatever the limit).
 */
export async function listAll(
  transport: Transport,
  config: Pick<ConsumerConfig, 'kind' | 'namespace'>,
  pageSize: number | undefined = LIST_PAGE_SIZE,
  accept?: string,
): Promise<KubernetesObject[]> {
  const path = collectionPath(RESOURCES[config.kind], config.namespace);
  const items: KubernetesObject[] = [];
  let continueToken: string | undefined;
  do {
    const text = await getText(
      transport,
      path,
      {
        limit: pageSize,
        continue: continueToken,
        resourceVersion: continueToken ? undefined : '0',
      },
      accept,
    );
    const page = JSON.parse(text) as KubernetesList;
    for (const item of page.items) items.push(item);
    continueToken = page.metadata?.continue || undefined;
  } while (continueToken);
  return items;
}

/** The continue token of a page, read from the front of its text before it is parsed. */
function peekContinue(text: string): string | undefined {
  const head = text.slice(0, 4096);
  const m = /"continue":"([^"]*)"/.exec(head);
  return m?.[1] || undefined;
}

/**
 * Pages of `pageSize`, the next page asked for as soon as this one's text is in (its continue
 * token read from the front of the text), before this one is parsed, as kates' reflector asks for
 * them, and this one waits until that request has been sent (`onSent`), as the reflector's does
 * (see its `list`). Consistent (no resourceVersion), as kates' reflector asks: kube-apiserver
 * serves such pages from its watch cache's snapshots, where at "0" it answers one page whatever the
 * limit.
 */
async function listPrefetched(
  transport: Transport,
  config: Pick<ConsumerConfig, 'kind' | 'namespace'>,
  pageSize: number,
): Promise<KubernetesObject[]> {
  const path = collectionPath(RESOURCES[config.kind], config.namespace);
  const items: KubernetesObject[] = [];
  let text = await getText(transport, path, { limit: pageSize });
  for (;;) {
    const peeked = peekContinue(text);
    const next = peeked
      ? whenSent((onSent) =>
          getText(transport, path, { limit: pageSize, continue: peeked }, undefined, onSent),
        )
      : undefined;
    await next?.sent;
    const page = JSON.parse(text) as KubernetesList;
    for (const item of page.items) items.push(item);
    const token = page.metadata?.continue || undefined;
    if (!token) return items;
    text = await (next && token === peeked
      ? next.answer
      : getText(transport, path, { limit: pageSize, continue: token }));
  }
}

/** The query of a streaming list: a watch that sends the state first, to a bookmark that ends it. */
export const STREAMING_LIST_QUERY = {
  watch: true,
  sendInitialEvents: true,
  resourceVersionMatch: 'NotOlderThan',
  resourceVersion: '',
  allowWatchBookmarks: true,
} as const;

/** The annotation of the bookmark that ends a streaming list's initial events. */
export const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

/**
 * A streaming list: the initial ADDED events of a watch, to the `k8s.io/initial-events-end` bookmark.
 * Its lines are taken in the transport's own callback (`readLines`), as kates' reflector reads a
 * watch, so that the floor reads no heavier than the library it bounds (through `lines()` it paid
 * a promise turn a line; at 100k Pods the two took the same time in fresh processes, 9.6 to 13.5 s
 * this way and 10.6 to 14.0 through `lines()`, 2026-12-07).
 */
async function streamingList(
  transport: Transport,
  config: Pick<ConsumerConfig, 'kind' | 'namespace'>,
): Promise<KubernetesObject[]> {
  const path = collectionPath(RESOURCES[config.kind], config.namespace);
  const abort = new AbortController();
  const res = await transport.request({
    method: 'GET',
    path,
    query: STREAMING_LIST_QUERY,
    signal: abort.signal,
  });
  if (res.status !== 200) {
    const text = await res.text().catch(() => '');
    throw new Error(`streaming list ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  }
  if (!res.readLines)
    throw new Error(`streaming list ${path}: the transport cannot hand over lines as they come`);
  const items: KubernetesObject[] = [];
  let complete = false;
  const read = res.readLines((lines) => {
    for (const line of lines) {
      const event = JSON.parse(line) as { type: string; object: KubernetesObject };
      if (event.type === 'ADDED') items.push(event.object);
      else if (event.type === 'BOOKMARK') {
        if (event.object.metadata?.annotations?.[INITIAL_EVENTS_END] === 'true') {
          complete = true;
          abort.abort();
          return;
        }
      } else
        throw new Error(
          `streaming list ${path}: a ${event.type} event before the initial-events-end bookmark: ${line.slice(0, 300)}`,
        );
    }
  });
  try {
    await read;
  } catch (e) {
    if (!complete) throw e;
  } finally {
    abort.abort();
  }
  if (!complete)
    throw new Error(
      `streaming list ${path} ended before its initial-events-end bookmark (${items.length} objects)`,
    );
  return items;
}
