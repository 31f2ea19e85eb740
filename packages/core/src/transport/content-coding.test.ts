import { deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bodyText } from './body-text.js';
import { contentCoding, decodeChunks, decodeStart } from './content-coding.js';
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
