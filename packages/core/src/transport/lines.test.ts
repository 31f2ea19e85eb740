import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineTooLongError, MAX_LINE_LENGTH, splitLineBatches, splitLines } from './lines.js';
import { type LineSource, readLinesOf, transportResponse } from './types.js';

async function* chunksOf(bytes: Uint8Array, cuts: number[]): AsyncIterable<Uint8Array> {
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut <= at || cut >= bytes.length) continue;
    yield bytes.subarray(at, cut);
    at = cut;
  }
  yield bytes.subarray(at);
}

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

/** Text with newlines, blanks, multi-byte characters (split across chunks by the cuts) and garbage. */
const streamText = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.constantFrom(
        '\n',
        '\r\n',
        '   ',
        '\t',
        'é',
        '日本',
        '🙂',
        '{"type":"ADDED"',
        '\u0000',
        '\u00a0',
        '\u2028',
        '\ufeff',
      ),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

describe('splitting a watch stream into lines', () => {
  it('yields the same lines whatever the chunk boundaries, even inside a multi-byte character', async () => {
    await fc.assert(
      fc.asyncProperty(streamText, fc.array(fc.nat(400), { maxLength: 30 }), async (text, cuts) => {
        const expected = text
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l !== '');
        const bytes = new TextEncoder().encode(text);
        expect(await collect(splitLines(chunksOf(bytes, cuts)))).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('batches the lines of each chunk, the same lines as splitLines', async () => {
    await fc.assert(
      fc.asyncProperty(streamText, fc.array(fc.nat(400), { maxLength: 30 }), async (text, cuts) => {
        const bytes = new TextEncoder().encode(text);
        const batches: (readonly string[])[] = [];
        for await (const batch of splitLineBatches(chunksOf(bytes, cuts))) batches.push(batch);
        expect(batches.flat()).toEqual(await collect(splitLines(chunksOf(bytes, cuts))));
        // One batch a chunk at most (the last line without a newline comes at the end), none empty.
        const chunks = new Set(cuts.filter((c) => c > 0 && c < bytes.length)).size + 1;
        expect(batches.length).toBeLessThanOrEqual(chunks + 1);
        for (const batch of batches) expect(batch.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
    const enc = new TextEncoder();
    async function* reads() {
      yield enc.encode('{"a":1}\n{"b":2}\n{"c"');
      yield enc.encode(':3}\n');
      yield enc.encode('{"d":4}');
    }
    const batches: (readonly string[])[] = [];
    for await (const batch of splitLineBatches(reads())) batches.push(batch);
    expect(batches).toEqual([['{"a":1}', '{"b":2}'], ['{"c":3}'], ['{"d":4}']]);
  });

  it('joins an 8 MB object that arrives in 16 KB chunks into one line', async () => {
    const big = JSON.stringify({
      type: 'ADDED',
      object: { metadata: { name: 'big', uid: 'u' }, data: { x: 'y'.repeat(8 << 20) } },
    });
    const bytes = new TextEncoder().encode(`${big}\n{"type":"BOOKMARK"}\n`);
    const cuts = Array.from({ length: Math.floor(bytes.length / 16384) }, (_, i) => (i + 1) * 16384);
    const lines = await collect(splitLines(chunksOf(bytes, cuts)));
    expect(lines).toHaveLength(2);
    expect(lines[0]!.length).toBe(big.length);
    expect(JSON.parse(lines[0]!).object.data.x).toHaveLength(8 << 20);
  });

  it('drops a stream whose line grows past the limit without a newline, saying why', async () => {
    const bytes = new TextEncoder().encode(`{"ok":1}\n${'<html>'.repeat(2000)}`);
    const cuts = Array.from({ length: 20 }, (_, i) => (i + 1) * 500);
    const seen: string[] = [];
    const reading = (async () => {
      for await (const line of splitLines(chunksOf(bytes, cuts), 4096)) seen.push(line);
    })();
    await expect(reading).rejects.toThrow(LineTooLongError);
    await expect(reading).rejects.toThrow(/without a newline: the stream is not a watch stream/);
    expect(seen).toEqual(['{"ok":1}']);
  });

  it('makes a transport drop a stream of more than 64 MiB without a newline, as a dropped stream', async () => {
    const mb = new TextEncoder().encode('x'.repeat(1 << 20));
    async function* endless(): AsyncIterable<Uint8Array> {
      for (let i = 0; i <= MAX_LINE_LENGTH / (1 << 20); i++) yield mb;
    }
    const res = transportResponse(
      { status: 200, headers: { forEach() {} }, text: async () => '' },
      () => endless(),
      (e, what) =>
        new Error(`GET /api/v1/configmaps?watch=true: ${what ?? 'connection lost'}: ${(e as Error).message}`),
    );
    const reading = (async () => {
      for await (const _ of res.lines()) throw new Error('no line was complete');
    })();
    await expect(reading).rejects.toThrow(
      /configmaps\?watch=true: stream dropped: a watch line grew past 67108864 bytes/,
    );
  });

  describe('read through readLinesOf', () => {
    const bytes = new TextEncoder().encode('{"a":1}\n{"b":2}\n{"c":3}\n');
    /** An answer of `bytes` (cut at `cuts`) whose lines come from `readLines` where it is given. */
    const answer = (cuts: number[], readLines?: LineSource['readLines']) =>
      transportResponse(
        { status: 200, headers: { forEach() {} }, text: async () => '' },
        () => chunksOf(bytes, cuts),
        (e, what) => new Error(`${what ?? 'lost'}: ${(e as Error).message}`),
        undefined,
        readLines ? { lineBatches: () => splitLineBatches(chunksOf(bytes, cuts)), readLines } : undefined,
      );

    it('reads the lines of a transport that cannot hand them over itself from its batches', async () => {
      const res = answer([8, 20]);
      expect(res.readLines).toBeUndefined();
      const reads: (readonly string[])[] = [];
      await readLinesOf(res, (lines) => reads.push(lines));
      expect(reads).toEqual([['{"a":1}'], ['{"b":2}'], ['{"c":3}']]);
    });

    it('passes on what the reader threw', async () => {
      const refused = new Error('the reader refuses');
      await expect(
        readLinesOf(
          answer([], async (onLines) => onLines(['{"a":1}'])),
          () => {
            throw refused;
          },
        ),
      ).rejects.toBe(refused);
    });

    it("fails as a lost connection where the transport's read fails, and as a dropped stream for a line too long", async () => {
      const failing = answer([], async () => {
        throw new Error('socket reset');
      });
      await expect(readLinesOf(failing, () => {})).rejects.toThrow('lost: socket reset');
      const endless = answer([], async () => {
        throw new LineTooLongError(MAX_LINE_LENGTH);
      });
      await expect(readLinesOf(endless, () => {})).rejects.toThrow(/^stream dropped: a watch line grew past/);
    });
  });
});
