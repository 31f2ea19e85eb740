import type { ResourceType, Transport } from '@kates/core';
import type { Collection } from './collection.js';

/** A discovery answer of the API server, kept whole. */
export interface CachedAnswer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: string;
}

interface Entry {
  readonly answer: Promise<CachedAnswer>;
  readonly expires: number;
}

/** Whether a path is a discovery document: `/api`, `/api/v1`, `/apis`, `/apis/G`, `/apis/G/V`, `/version`. */
export function isDiscoveryPath(pathname: string): boolean {
  if (pathname === '/version') return true;
  const segs = pathname.split('/').slice(1);
  if (segs.some((s) => s === '')) return false;
  return (segs[0] === 'api' && segs.length <= 2) || (segs[0] === 'apis' && segs.length <= 3);
}

/**
 * Discovery documents, asked of the API server once per `ttlMs` for every session: each new page
 * discovers the API before it lists, and fifty pages need not ask fifty times. Only successful
 * answers are kept; concurrent requests for the same document share one request. A document
 * seconds old is what kubectl's discovery cache serves too (for hours); a kind added meanwhile
 * resolves within `ttlMs`, and a browser that does not find one refreshes after that.
 */
export class DiscoveryCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly transport: Transport,
    private readonly ttlMs: number,
  ) {}

  /** The answer for `path` as `accept` asks for it. */
  get(path: string, accept: string | undefined): Promise<CachedAnswer> {
    const key = `${path} ${accept ?? ''}`;
    const now = Date.now();
    const held = this.entries.get(key);
    if (held && held.expires > now) return held.answer;
    const answer = this.fetch(path, accept);
    this.entries.set(key, { answer, expires: now + this.ttlMs });
    // A failure is not kept: the next request asks again.
    answer.then(
      (a) => {
        if (a.status !== 200 && this.entries.get(key)?.answer === answer) this.entries.delete(key);
      },
      () => {
        if (this.entries.get(key)?.answer === answer) this.entries.delete(key);
      },
    );
    return answer;
  }

  /**
   * The resource type of a collection, from its group version's resource list; undefined when the
   * API server serves no such resource (or no such group version).
   */
  async resourceTypeOf(c: Collection): Promise<ResourceType | undefined> {
    const path = c.group ? `/apis/${c.group}/${c.version}` : `/api/${c.version}`;
    const answer = await this.get(path, 'application/json');
    if (answer.status !== 200) return undefined;
    let list: { resources?: { name: string; kind: string; namespaced: boolean; verbs?: string[] }[] };
    try {
      list = JSON.parse(answer.body);
    } catch {
      return undefined;
    }
    const found = list.resources?.find((r) => r.name === c.resource);
    if (!found) return undefined;
    return {
      group: c.group,
      version: c.version,
      resource: found.name,
      kind: found.kind,
      namespaced: found.namespaced,
      verbs: found.verbs ?? [],
    };
  }

  private async fetch(path: string, accept: string | undefined): Promise<CachedAnswer> {
    const res = await this.transport.request({ method: 'GET', path, accept: accept || 'application/json' });
    return { status: res.status, contentType: res.headers['content-type'], body: await res.text() };
  }
}
