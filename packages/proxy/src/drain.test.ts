import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { drainedOrClosed } from './drain.js';

describe('waiting for a slow browser', () => {
  it('leaves no listener behind after a thousand waits for drain', async () => {
    const sink = new Writable({ write: (_chunk, _enc, cb) => cb() });
    const before = [sink.listenerCount('drain'), sink.listenerCount('close')];
    for (let i = 0; i < 1000; i++) {
      const waiting = drainedOrClosed(sink);
      sink.emit('drain');
      await waiting;
    }
    expect([sink.listenerCount('drain'), sink.listenerCount('close')]).toEqual(before);
  });

  it('resolves when the stream closes instead of draining', async () => {
    const sink = new Writable({ write: (_chunk, _enc, cb) => cb() });
    const waiting = drainedOrClosed(sink);
    sink.destroy();
    await waiting;
    expect(sink.listenerCount('drain')).toBe(0);
  });
});
