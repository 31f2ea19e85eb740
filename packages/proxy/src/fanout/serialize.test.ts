import type { KubernetesObject } from '@kates/core';
import { describe, expect, it } from 'vitest';
import { Serializer, UpstreamTexts } from './serialize.js';

const pod = (name: string): KubernetesObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'shop', uid: `u-${name}`, annotations: { note: '<b>' } },
});
// The API server's own text: Go escapes `<` and `>`, which JSON.stringify does not.
const upstreamText = (obj: KubernetesObject) =>
  JSON.stringify(obj).replace(/</g, '\\u003c').replace(/>/g, '\\u003e');

describe('the serializer of whole objects', () => {
  it('sends whole objects in the text the API server sent them in, once a client reads them whole', () => {
    const upstream = new UpstreamTexts();
    const serializer = new Serializer(false, true, undefined, upstream);
    const early = pod('early');
    // Offered before any client read the whole form: not kept (a projecting proxy pays nothing).
    upstream.set(early, upstreamText(early));
    expect(upstream.has(early)).toBe(false);
    expect(serializer.json(early)).toBe(JSON.stringify(early));

    const later = pod('later');
    upstream.set(later, upstreamText(later));
    expect(serializer.json(later)).toBe(upstreamText(later));
    expect(serializer.event('MODIFIED', later)).toBe(`{"type":"MODIFIED","object":${upstreamText(later)}}`);
    expect(JSON.parse(serializer.json(later))).toEqual(later);

    // Replaced in the cache: its text goes with it, and an old event is serialized again.
    serializer.forget(later);
    expect(upstream.has(later)).toBe(false);
    expect(serializer.json(later)).toBe(JSON.stringify(later));
  });

  it("never sends the API server's whole text for a projection or for metadata only", () => {
    const upstream = new UpstreamTexts();
    const projected = new Serializer(
      false,
      true,
      (o) => ({ ...o, metadata: { name: o.metadata?.name } }),
      upstream,
    );
    const metadata = new Serializer(true, true, undefined, upstream);
    const obj = pod('p');
    upstream.enabled = true;
    upstream.set(obj, upstreamText(obj));
    expect(projected.json(obj)).toBe(JSON.stringify({ ...obj, metadata: { name: 'p' } }));
    expect(JSON.parse(metadata.json(obj))).toMatchObject({ kind: 'PartialObjectMetadata' });
    expect(metadata.json(obj)).not.toContain('\\u003c');
  });
});
