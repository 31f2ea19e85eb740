import { describe, expect, it } from 'vitest';
import { Transcoder } from './transcoder.js';

describe('the protobuf transcoder process', () => {
  it('fails the requests it holds when its process exits, rather than leaving them waiting', async () => {
    await expect(new Transcoder('/bin/false').toJson(Buffer.from('k8s\0'))).rejects.toThrow(/exited/);
  });

  it('fails a request when its binary cannot start, and tries again on the next one', async () => {
    const missing = new Transcoder('/nonexistent/kates-protobuf');
    await expect(missing.toProtobuf('{}')).rejects.toThrow(/ENOENT/);
    await expect(missing.toProtobuf('{}')).rejects.toThrow(/ENOENT/);
  });
});
