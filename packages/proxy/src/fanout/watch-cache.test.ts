import type { KubernetesObject, Transport, TransportRequest, TransportResponse } from '@kates/core';
import { isWatchRequest } from '@kates/core/internal';
import { describe, expect, it } from 'vitest';
import { within } from '../__fixtures__/within.js';
import { WatchCache } from './watch-cache.js';

const pod = (rv: number): KubernetesObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', uid: 'uid-p', resourceVersion: String(rv) },
});

/** An API server of one pod: a list at version 1, then a watch that sends what `send` is given. */
function stubTransport() {
  const lines: string[] = [];
  let wake: (() => void) | undefined;
  const answer = (body: Partial<TransportResponse>): TransportResponse => ({
    status: 200,
    headers: {},
    text: async () => '',
    lines: async function* () {},
    ...body,
  });
  const transport: Transport = {
    server: 'https://stub',
    async request(req: TransportRequest) {
      if (!isWatchRequest(req)) {
        const list = {
          kind: 'PodList',
          apiVersion: 'v1',
          metadata: { resourceVersion: '1' },
          items: [pod(1)],
        };
        return answer({ text: async () => JSON.stringify(list) });
      }
      return answer({
        lines: async function* () {
          while (!req.signal?.aborted) {
            const line = lines.shift();
            if (line !== undefined) yield line;
            else
              await new Promise<void>((r) => {
                wake = r;
                req.signal?.addEventListener('abort', () => r(), { once: true });
              });
          }
        },
      });
    },
  };
  return {
    transport,
    send(type: string, object: KubernetesObject) {
      lines.push(JSON.stringify({ type, object }));
      wake?.();
    },
    /** A line as written, for text JSON.stringify would not write (Go's escapes). */
    sendLine(line: string) {
      lines.push(line);
      wake?.();
    },
  };
}

/** A cache of every pod, keeping JSON, with a short history. */
const podCache = (transport: Transport) =>
  new WatchCache(
    transport,
    { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true, verbs: ['list', 'watch'] },
    { group: '', version: 'v1', resource: 'pods', labelSelector: '', fieldSelector: '', metadataOnly: false },
    { history: { maxEvents: 100, maxAgeMs: 75_000 }, keepJson: true },
  );

describe('WatchCache', () => {
  it('lets go of the JSON of an object once a newer version replaces it, and keeps the current one', async () => {
    const api = stubTransport();
    const cache = podCache(api.transport);
    try {
      await cache.ready();
      // Its own texts, or the API server's (whole objects that came in a watch event).
      const kept = (s: unknown, obj: object) => {
        const { texts, upstream } = s as {
          texts: WeakMap<object, string>;
          upstream?: WeakMap<object, string>;
        };
        return texts.has(obj) || upstream?.has(obj) === true;
      };
      const projected = cache.serializerFor({ key: 'status.phase', transform: (o) => o });
      const first = cache.snapshot().items[0] as KubernetesObject;
      cache.serializer.json(first);
      projected.json(first);
      expect(kept(cache.serializer, first)).toBe(true);

      api.send('MODIFIED', pod(2));
      await within(5000, () => cache.resourceVersion === '2');
      const second = cache.snapshot().items[0] as KubernetesObject;
      cache.serializer.json(second);
      // The old version is still in the history (a watch may resume before it), its texts are not.
      expect(cache.eventsSince('1')?.length).toBe(1);
      expect(kept(cache.serializer, first)).toBe(false);
      expect(kept(projected, first)).toBe(false);
      expect(kept(cache.serializer, second)).toBe(true);
    } finally {
      await cache.stop();
    }
  });

  it('sends a watched object whole in the text the API server sent it in, once a client reads whole ones', async () => {
    const api = stubTransport();
    const cache = podCache(api.transport);
    try {
      await cache.ready();
      cache.serializer.json(cache.snapshot().items[0] as KubernetesObject);
      const next = { ...pod(2), metadata: { ...pod(2).metadata, annotations: { note: '<b>' } } };
      // Go escapes `<` as \u003c; JSON.stringify of the parsed object would write `<`.
      const goText = JSON.stringify(next).replace('<', '\\u003c');
      api.sendLine(`{"type":"MODIFIED","object":${goText}}`);
      await within(5000, () => cache.resourceVersion === '2');
      const second = cache.snapshot().items[0] as KubernetesObject;
      expect(second).toEqual(next);
      expect(cache.serializer.json(second)).toBe(goText);
      // A projection serializes its own form.
      const projected = cache.serializerFor({
        key: 'name',
        transform: (o) => ({ ...o, metadata: { name: 'p' } }),
      });
      expect(projected.json(second)).toBe('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}}');
    } finally {
      await cache.stop();
    }
  });
});
