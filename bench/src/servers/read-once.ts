import { createNodeTransport } from '@kates/core';
import { collectionPath } from '@kates/core/internal';
import { KubeConfig } from '@kubernetes/client-node';
import { INITIAL_EVENTS_END, STREAMING_LIST_QUERY } from '../consumers/floor.js';
import { digestLine, digestOfLines } from '../consumers/protocol.js';
import { RESOURCES } from '../resources.js';
import type { FakeCollection } from './fake-host.js';

/** What a server holds of a collection: the digest every peer's snapshot must equal, and the count. */
export interface CollectionDigest {
  readonly digest: string;
  readonly count: number;
}

/**
 * The head of an ADDED line as the in-memory server renders it: metadata first, its name,
 * generateName, namespace, uid and resourceVersion in the apiserver's order (object-shape.ts).
 */
const ADDED_HEAD =
  /^\{"type":"ADDED","object":\{"kind":"[^"]*","apiVersion":"[^"]*","metadata":\{"name":"([^"\\]*)",(?:"generateName":"[^"\\]*",)?"namespace":"([^"\\]*)","uid":"[^"\\]*","resourceVersion":"(\d+)"/;

/**
 * Reads a collection of the in-memory server named by `kubeconfigPath` once, untimed, as a
 * streaming list to its end bookmark (its lines taken as the streaming floor takes them), and
 * returns its digest; undefined where a line's head was not as expected (the caller then lists the
 * collection its own way).
 *
 * Why the read: the server keeps each stored object's JSON once it has rendered it (serialize.ts),
 * and renders all of a streaming list's initial events before it writes the first. On a fresh
 * server, 100k Pods took 5.2 to 6.8 s to their first byte, against 0.2 s the second time
 * (2026-12-07). Without this read, the first peer of each case paid for it: the streaming floor,
 * first at 100k Pods, took 15 to 24 s there in every full run of 2026-12-06 and 07, where kates-ts,
 * second, took 8.6 to 14.8. Why the digest: the scenario's own (a metadata LIST, `serverDigest`)
 * took 13.1 s at 100k Pods on a fresh server and 6.5 s again. Proved by 'reads a collection once
 * and tells the digest a metadata LIST gives' (read-once.test.ts).
 */
export async function readCollectionOnce(
  kubeconfigPath: string,
  c: FakeCollection,
): Promise<CollectionDigest | undefined> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const transport = createNodeTransport(kc);
  const path = collectionPath(RESOURCES[c.kind], c.namespace);
  const abort = new AbortController();
  const why = `reading ${path} once before the runs`;
  try {
    const res = await transport.request({
      method: 'GET',
      path,
      query: STREAMING_LIST_QUERY,
      signal: abort.signal,
    });
    if (res.status !== 200) throw new Error(`${why}: the server answered ${res.status}`);
    if (!res.readLines) throw new Error(`${why}: the transport cannot hand over lines as they come`);
    const lines: string[] = [];
    let readable = true;
    let ended = false;
    const read = res.readLines((batch) => {
      for (const line of batch) {
        const head = ADDED_HEAD.exec(line);
        if (head) lines.push(digestLine(head[2]!, head[1]!, head[3]!));
        else if (line.includes(INITIAL_EVENTS_END)) {
          ended = true;
          abort.abort();
          return;
        } else readable = false;
      }
    });
    await read.catch((e: unknown) => {
      if (!ended) throw e;
    });
    if (!ended) throw new Error(`${why}: the stream ended before its end bookmark`);
    return readable ? { digest: digestOfLines(lines), count: lines.length } : undefined;
  } finally {
    abort.abort();
    transport.close();
  }
}
