import { get } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { collectionPath } from '@kates/core/internal';
import { digestLine, digestOfLines } from '../consumers/protocol.js';
import { RESOURCES } from '../resources.js';
import type { FakeCollection } from './fake-host.js';

/** What a server holds of a collection: the digest every peer's snapshot must equal, and the count. */
export interface CollectionDigest {
  readonly digest: string;
  readonly count: number;
}

const END = 'k8s.io/initial-events-end';
/**
 * The head of an ADDED line as the in-memory server renders it: metadata first, its name,
 * generateName, namespace, uid and resourceVersion in the apiserver's order (object-shape.ts).
 */
const ADDED_HEAD =
  /^\{"type":"ADDED","object":\{"kind":"[^"]*","apiVersion":"[^"]*","metadata":\{"name":"([^"\\]*)",(?:"generateName":"[^"\\]*",)?"namespace":"([^"\\]*)","uid":"[^"\\]*","resourceVersion":"(\d+)"/;

/**
 * Reads a collection of the in-memory server at `url` (plain http) once, untimed, as a streaming
 * list to its end bookmark, and returns its digest; undefined where a line's head was not as
 * expected (the caller then lists the collection its own way).
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
export function readCollectionOnce(
  url: string,
  token: string,
  c: FakeCollection,
): Promise<CollectionDigest | undefined> {
  const path = collectionPath(RESOURCES[c.kind], c.namespace);
  const query =
    'watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true';
  return new Promise((resolve, reject) => {
    const req = get(`${url}${path}?${query}`, { headers: { authorization: `Bearer ${token}` } });
    const fail = (why: string) => {
      req.destroy();
      reject(new Error(`reading ${path} once before the runs: ${why}`));
    };
    req.on('error', (e) => fail(e.message));
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        fail(`the server answered ${res.statusCode}`);
        return;
      }
      const lines: string[] = [];
      const decoder = new StringDecoder('utf8');
      let readable = true;
      let partial = '';
      res.on('data', (chunk: Buffer) => {
        const text = partial + decoder.write(chunk);
        let start = 0;
        for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
          const line = text.slice(start, end);
          start = end + 1;
          const head = ADDED_HEAD.exec(line);
          if (head) lines.push(digestLine(head[2]!, head[1]!, head[3]!));
          else if (line.includes(END)) {
            req.destroy();
            resolve(readable ? { digest: digestOfLines(lines), count: lines.length } : undefined);
            return;
          } else readable = false;
        }
        partial = text.slice(start);
      });
      res.on('end', () => fail('the stream ended before its end bookmark'));
    });
  });
}
