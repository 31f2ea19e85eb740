import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { apiVersionOf } from '@kates/core';
import { META_V1 } from '@kates/core/internal';
import { drainedOrClosed } from '../drain.js';
import { baseHeaders } from '../status.js';
import type { CacheSnapshot, WatchCache } from './watch-cache.js';

/** A page of a list in progress: the snapshot its first page read, kept for its next pages. */
interface HeldSnapshot {
  readonly cache: WatchCache;
  readonly snapshot: CacheSnapshot;
  expires: number;
}

const TOKEN_VERSION = 'kates-fanout/1';

/**
 * Continue tokens of lists a fan-out cache answered page by page. Every page of one list reads
 * the same snapshot, as an API server's pages read the same etcd revision: the token names the
 * snapshot (held here, by reference: no copy of the objects) and the offset of the next page.
 * Snapshots expire after `ttlMs`; a token after that gets 410 Expired, and the client lists again.
 */
export class ContinueTokens {
  private readonly held = new Map<string, HeldSnapshot>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxHeld = 1000,
  ) {}

  /** Holds `snapshot` for the next pages of a list; returns its id. */
  hold(cache: WatchCache, snapshot: CacheSnapshot): string {
    this.sweep(Date.now());
    const id = randomUUID();
    this.held.set(id, { cache, snapshot, expires: Date.now() + this.ttlMs });
    return id;
  }

  /** The token of the page of held snapshot `id` that starts at `offset` (the snapshot's time starts again). */
  token(id: string, offset: number): string {
    const held = this.held.get(id);
    if (held) held.expires = Date.now() + this.ttlMs;
    return Buffer.from(JSON.stringify({ v: TOKEN_VERSION, s: id, o: offset })).toString('base64url');
  }

  /**
   * What a token continues: `undefined` when it is not one of ours (another server's: forward
   * it), `expired` when its snapshot is gone, or the snapshot, its id and the offset.
   */
  read(token: string): { id: string; held: HeldSnapshot; offset: number } | 'expired' | undefined {
    let parsed: { v?: unknown; s?: unknown; o?: unknown };
    try {
      parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    if (parsed?.v !== TOKEN_VERSION || typeof parsed.s !== 'string' || !Number.isSafeInteger(parsed.o)) {
      return undefined;
    }
    this.sweep(Date.now());
    const held = this.held.get(parsed.s);
    return held ? { id: parsed.s, held, offset: parsed.o as number } : 'expired';
  }

  /** Forgets the snapshots of a cache that stops. */
  forget(cache: WatchCache): void {
    for (const [k, v] of this.held) if (v.cache === cache) this.held.delete(k);
  }

  private sweep(now: number): void {
    for (const [k, v] of this.held) {
      if (v.expires <= now || this.held.size > this.maxHeld) this.held.delete(k);
    }
  }
}

const CHUNK = 1 << 16;

/**
 * Writes a LIST answer from a snapshot, `limit` items from `offset` (all without a limit), with a
 * continue token when more remain, each object in `serializer`'s form. Written in chunks as the socket takes them: 30k objects never
 * become one string.
 */
export async function writeList(
  res: ServerResponse,
  cache: WatchCache,
  snapshot: CacheSnapshot,
  offset: number,
  limit: number | undefined,
  nextToken: (offset: number) => string,
  serializer = cache.serializer,
): Promise<void> {
  const { items } = snapshot;
  const end = limit === undefined ? items.length : Math.min(items.length, offset + limit);
  const metadata: Record<string, unknown> = { resourceVersion: snapshot.resourceVersion };
  if (end < items.length) {
    metadata.continue = nextToken(end);
    metadata.remainingItemCount = items.length - end;
  }
  const type = cache.query.metadataOnly
    ? { kind: 'PartialObjectMetadataList', apiVersion: META_V1 }
    : { kind: `${cache.resource.kind}List`, apiVersion: apiVersionOf(cache.resource) };
  res.writeHead(200, { ...baseHeaders, 'content-type': 'application/json' });
  let buffer = `{"kind":"${type.kind}","apiVersion":"${type.apiVersion}","metadata":${JSON.stringify(metadata)},"items":[`;
  for (let i = offset; i < end; i++) {
    buffer += `${i === offset ? '' : ','}${serializer.json(items[i] as (typeof items)[number])}`;
    if (buffer.length > CHUNK) {
      const more = res.write(buffer);
      buffer = '';
      if (!more) await drainedOrClosed(res);
      if (res.destroyed) return;
    }
  }
  res.end(`${buffer}]}`);
}
