import { describe, expect, it } from 'vitest';
import { formatMuxFrame, isWatchRequest, type MuxFrame, parseMuxFrame } from './watch-mux-protocol.js';

describe('the watch multiplexing frames', () => {
  it('read back what they write, a watch line with spaces and quotes included', () => {
    const frames: MuxFrame[] = [
      { type: 'session', session: '6f1c2c1e-0d7a-4a43-9d5e-3b8f0e3a7c11' },
      { type: 'line', id: 7, line: '{"type":"ADDED","object":{"metadata":{"name":"a b"}}}' },
      { type: 'end', id: 12 },
      { type: 'error', id: 3, message: 'connection reset by peer' },
    ];
    for (const f of frames) expect(parseMuxFrame(formatMuxFrame(f))).toEqual(f);
  });

  it('keep an error message on one line', () => {
    expect(formatMuxFrame({ type: 'error', id: 1, message: 'one\ntwo' })).toBe('x1 one two');
  });

  it('ignore lines that are not frames', () => {
    for (const text of ['', 'w', 'wx {"a":1}', 'e3 extra', 'q1 what', 'w-1 line']) {
      expect(parseMuxFrame(text)).toBeUndefined();
    }
  });
});

describe('isWatchRequest', () => {
  it('knows a watch by its query or by the older /watch/ path', () => {
    expect(isWatchRequest({ path: '/api/v1/pods', query: { watch: true } })).toBe(true);
    expect(isWatchRequest({ path: '/api/v1/pods', query: { watch: '1' } })).toBe(true);
    expect(isWatchRequest({ path: '/api/v1/watch/pods' })).toBe(true);
    expect(isWatchRequest({ path: '/api/v1/pods', query: { watch: 'false' } })).toBe(false);
    expect(isWatchRequest({ path: '/api/v1/pods' })).toBe(false);
  });
});
