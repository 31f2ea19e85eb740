import { describe, expect, it } from 'vitest';
import { type LineBatchSink, type LineReaders, pushLineBatchesOf, transportResponse } from './types.js';

const answer = { status: 200, headers: { forEach() {} }, text: async () => '' };
const lost = (e: unknown) => new Error(`GET /watch: connection lost: ${(e as Error).message}`);
const enc = new TextEncoder();

/** Records a sink's batches; `ended` resolves with what it was ended with. */
function recorder() {
  const batches: (readonly string[])[] = [];
  let ends = 0;
  let done!: (e: Error | undefined) => void;
  const ended = new Promise<Error | undefined>((r) => {
    done = r;
  });
  const sink: LineBatchSink = {
    batch: (lines) => {
      batches.push(lines);
    },
    end: (e) => {
      ends++;
      done(e);
    },
  };
  return { sink, batches, ended, ends: () => ends };
}

describe('pushing a body as line batches', () => {
  it('pumps the lines of a transport that cannot push, in its own batches, then ends the sink once', async () => {
    async function* chunks(): AsyncIterable<Uint8Array> {
      yield enc.encode('{"n":1}\n{"n":2}\n');
      yield enc.encode('{"n":3}\n');
    }
    const r = recorder();
    pushLineBatchesOf(transportResponse(answer, chunks, lost), r.sink);
    expect(await r.ended).toBeUndefined();
    expect(r.batches).toEqual([['{"n":1}', '{"n":2}'], ['{"n":3}']]);
    expect(r.ends()).toBe(1);
  });

  it("ends the sink with the transport's error for a read that fails, pumped or pushed", async () => {
    async function* failing(): AsyncIterable<Uint8Array> {
      yield enc.encode('{"n":1}\n');
      throw new Error('read ECONNRESET');
    }
    const pumped = recorder();
    pushLineBatchesOf(transportResponse(answer, failing, lost), pumped.sink);
    expect((await pumped.ended)?.message).toBe('GET /watch: connection lost: read ECONNRESET');
    expect(pumped.batches).toEqual([['{"n":1}']]);

    const readers: LineReaders = {
      lineBatches: () => {
        throw new Error('not read so');
      },
      pushLineBatches: (sink) => {
        sink.batch(['{"n":1}']);
        sink.end(new Error('read ECONNRESET'));
      },
    };
    const pushed = recorder();
    pushLineBatchesOf(
      transportResponse(answer, () => undefined, lost, undefined, readers),
      pushed.sink,
    );
    expect((await pushed.ended)?.message).toBe('GET /watch: connection lost: read ECONNRESET');
    expect(pushed.batches).toEqual([['{"n":1}']]);
  });

  it('hands nothing to the sink once stopped, and closes a pumped body', async () => {
    let closed = false;
    let more!: () => void;
    async function* chunks(): AsyncIterable<Uint8Array> {
      try {
        yield enc.encode('{"n":1}\n');
        await new Promise<void>((r) => {
          more = r;
        });
        yield enc.encode('{"n":2}\n');
      } finally {
        closed = true;
      }
    }
    const r = recorder();
    const stop = pushLineBatchesOf(transportResponse(answer, chunks, lost), r.sink);
    await expect.poll(() => r.batches.length).toBe(1);
    stop();
    more();
    await expect.poll(() => closed).toBe(true);
    expect(r.batches).toEqual([['{"n":1}']]);
    expect(r.ends()).toBe(0);
  });
});
