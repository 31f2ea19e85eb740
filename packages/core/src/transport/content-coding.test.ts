import { deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bodyText } from './body-text.js';
import { contentCoding, decodeBytes, decodeChunks, decodeStart, gzipOutputSize } from './content-coding.js';
import { splitLines } from './lines.js';

async function* chunksOf(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

const lines = Array.from({ length: 200 }, (_, i) =>
  JSON.stringify({ type: 'ADDED', object: { i, name: `café-${i}` } }),
);
const text = `${lines.join('\n')}\n`;

describe('content codings', () => {
  it.each([
    ['gzip', gzipSync],
    ['x-gzip', gzipSync],
    ['deflate', deflateSync],
  ])(
    'reads a %s body as the text that was sent, whole or as lines, in chunks cut anywhere',
    async (coding, encode) => {
      const sent = encode(Buffer.from(text));
      expect(await bodyText(chunksOf(sent, 97), coding)).toBe(text);
      const read: string[] = [];
      for await (const line of splitLines(decodeChunks(chunksOf(sent, 97), coding))) read.push(line);
      expect(read).toEqual(lines);
    },
  );

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
  ])(
    'decodes as much of the start of a %s body as has come, without an error for the rest',
    (coding, encode) => {
      const sent = encode(Buffer.from(text));
      const start = decodeStart(sent.subarray(0, Math.floor(sent.length / 2)), coding).toString();
      expect(start.length).toBeGreaterThan(0);
      expect(text.startsWith(start)).toBe(true);
      expect(decodeStart(sent, coding).toString()).toBe(text);
      expect(() => decodeStart(sent, 'br')).toThrow(/"br", which kates did not ask for/);
    },
  );

  it("reads a gzip body whole into one buffer of its trailer's size, and a body of several members or a small one as before", async () => {
    const big = Buffer.from(`${text.repeat(40)}`);
    const sent = gzipSync(big, { level: 1 });
    // The trailer's size is believed where it is more than zlib's 16 KB chunk and at most 64 times
    // the body; zlib's chunks are left to grow the output otherwise.
    expect(big.length).toBeGreaterThan(16 * 1024);
    expect(gzipOutputSize(sent)).toBe(big.length);
    expect(gzipOutputSize(gzipSync(Buffer.from(text)))).toBeUndefined();
    const claiming = (size: number) => {
      const copy = Buffer.from(sent);
      copy.writeUInt32LE(size, copy.length - 4);
      return copy;
    };
    expect(gzipOutputSize(claiming(sent.length * 64))).toBe(sent.length * 64);
    expect(gzipOutputSize(claiming(sent.length * 64 + 1))).toBeUndefined();
    expect(gzipOutputSize(sent.subarray(0, 17))).toBeUndefined();
    expect(decodeBytes(sent, 'gzip').equals(big)).toBe(true);
    expect(decodeBytes(sent, 'x-gzip').equals(big)).toBe(true);
    expect(await bodyText(chunksOf(sent, 1000), 'gzip')).toBe(big.toString());
    // Several members: the trailer gives the last one's size only, and the rest still comes out.
    const small = Buffer.from(text);
    for (const members of [
      [big, small],
      [small, big],
      [big, big],
    ]) {
      const body = Buffer.concat(members.map((m) => gzipSync(m)));
      expect(decodeBytes(body, 'gzip').equals(Buffer.concat(members))).toBe(true);
    }
    // A small body, and bytes too few to hold a trailer, decode (or fail) as zlib decides.
    expect(decodeBytes(gzipSync(small), 'gzip').equals(small)).toBe(true);
    expect(() => decodeBytes(sent.subarray(0, 10), 'gzip')).toThrow();
  });

  it('takes identity and no header alike as no coding, and names are case-insensitive', async () => {
    expect(contentCoding(undefined)).toBeUndefined();
    expect(contentCoding('identity')).toBeUndefined();
    expect(contentCoding(' GZIP ')).toBe('gzip');
    expect(await bodyText(chunksOf(Buffer.from(text), 50), undefined)).toBe(text);
  });

  it('refuses a coding it did not ask for, naming it, when the body is read', async () => {
    const body = chunksOf(Buffer.from('x'), 1);
    await expect(bodyText(body, 'br')).rejects.toThrow(/content coding "br", which kates did not ask for/);
    await expect(bodyText(chunksOf(Buffer.from('x'), 1), 'constructor')).rejects.toThrow(/"constructor"/);
    const asLines = decodeChunks(chunksOf(Buffer.from('x'), 1), 'br');
    await expect(
      (async () => {
        for await (const _ of asLines) return;
      })(),
    ).rejects.toThrow(/"br"/);
  });

  it('ends a body read as lines with an error when its gzip stream is cut short', async () => {
    const sent = gzipSync(Buffer.from(text));
    const cut = chunksOf(sent.subarray(0, sent.length - 20), 97);
    await expect(
      (async () => {
        for await (const _ of splitLines(decodeChunks(cut, 'gzip'))) {
          // read on
        }
      })(),
    ).rejects.toThrow(/unexpected end of file/i);
  });
});
