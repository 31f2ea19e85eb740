import { describe, expect, it } from 'vitest';
import { bodyText } from './body-text.js';

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
