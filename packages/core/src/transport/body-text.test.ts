import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bodyText, bodyTextUnless } from './body-text.js';

async function* chunks(...parts: (string | number[])[]): AsyncIterable<Uint8Array> {
  for (const p of parts) yield typeof p === 'string' ? new TextEncoder().encode(p) : Uint8Array.from(p);
}

describe('bodyText', () => {
  it('reads an ASCII body across chunks as it was sent', async () => {
    const json = JSON.stringify({ items: [{ metadata: { name: 'a' } }, { data: { k: 'v\\n"' } }] });
    expect(await bodyText(chunks(json.slice(0, 7), json.slice(7, 20), json.slice(20)))).toBe(json);
  });

  it('decodes UTF-8, a character split between two chunks included', async () => {
    const bytes = [...new TextEncoder().encode('{"name":"café ☸ 🚀"}')];
    const cut = bytes.indexOf(0xe2) + 1;
    expect(await bodyText(chunks(bytes.slice(0, cut), bytes.slice(cut)))).toBe('{"name":"café ☸ 🚀"}');
  });

  it('drops a byte order mark, replaces malformed bytes, and reads an empty body as ""', async () => {
    expect(await bodyText(chunks([0xef, 0xbb, 0xbf], '{}'))).toBe('{}');
    expect(await bodyText(chunks([0x7b, 0xff, 0x7d]))).toBe('{\ufffd}');
    expect(await bodyText(chunks())).toBe('');
  });
});

describe('bodyTextUnless', () => {
  const page = JSON.stringify({
    metadata: { continue: 'next', remainingItemCount: 5 },
    items: Array.from({ length: 400 }, (_, i) => ({ metadata: { name: `café-${i}` } })),
  });
  /** The body in chunks of `size`, counting the chunks taken and whether the reader left early. */
  function counted(bytes: Uint8Array, size: number) {
    const read = { chunks: 0, left: false };
    async function* chunks(): AsyncIterable<Uint8Array> {
      let done = false;
      try {
        for (let at = 0; at < bytes.length; at += size) {
          read.chunks++;
          yield bytes.subarray(at, at + size);
        }
        done = true;
      } finally {
        read.left = !done;
      }
    }
    return { chunks: chunks(), read, total: Math.ceil(bytes.length / size) };
  }

  it.each([
    ['identity', undefined, (s: string) => new TextEncoder().encode(s)],
    ['gzip', 'gzip', (s: string) => new Uint8Array(gzipSync(s))],
  ])('stops reading a body whose start says it is not wanted (%s)', async (_name, coding, encode) => {
    const body = counted(encode(page), 64);
    const starts: string[] = [];
    const text = await bodyTextUnless(body.chunks, coding, (start) => {
      starts.push(start);
      return start.includes('"items":') ? true : undefined;
    });
    expect(text).toBeUndefined();
    expect(body.read.left).toBe(true);
    expect(body.read.chunks).toBeLessThan(body.total);
    // Asked after each chunk, with all that had come, until it could tell.
    expect(starts.at(-1)).toContain('"remainingItemCount":5');
    for (const start of starts) expect(page.startsWith(start)).toBe(true);
  });

  it('reads the whole body where its start says it is wanted, and asks no more', async () => {
    const body = counted(new Uint8Array(gzipSync(page)), 64);
    let asked = 0;
    const text = await bodyTextUnless(body.chunks, 'gzip', (start) => {
      asked++;
      return start.includes('"items":') ? false : undefined;
    });
    expect(text).toBe(page);
    expect(body.read).toEqual({ chunks: body.total, left: false });
    expect(asked).toBeLessThan(body.total);
  });

  it('stops asking after 64 KB it cannot tell, and reads the body whole', async () => {
    const long = 'x'.repeat(200_000);
    const body = counted(new TextEncoder().encode(long), 4096);
    let asked = 0;
    const text = await bodyTextUnless(body.chunks, undefined, () => {
      asked++;
      return undefined;
    });
    expect(text).toBe(long);
    expect(asked).toBe(16);
  });
});
