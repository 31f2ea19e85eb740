import { describe, expect, it } from 'vitest';
import { dropIf, ITEM_SAMPLE_CHARS, peekListHead, sampleItems } from './list-page.js';

describe('peekListHead', () => {
  it("reads a page's continue token and remaining count before its items", () => {
    const page = JSON.stringify({
      kind: 'ConfigMapList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '7', continue: 'abc', remainingItemCount: 18_000 },
      items: [{ metadata: { name: 'a', annotations: { x: '"items":' } } }],
    });
    expect(peekListHead(page)).toEqual({ continue: 'abc', remainingItemCount: 18_000 });
  });

  it('says nothing of what a page does not hold, and nothing at all where its head does not parse', () => {
    expect(peekListHead('{"metadata":{"resourceVersion":"7","continue":""},"items":[]}')).toEqual({});
    expect(peekListHead('{"metadata":{"remainingItemCount":-1},"items":[]}')).toEqual({});
    expect(peekListHead('{"items":[],"metadata":{"continue":"abc"}}')).toEqual({});
    expect(peekListHead('{"metadata":{"continue":')).toBeUndefined();
    expect(peekListHead('{"metadata":{"continue":"abc"},"x":[1,"items":[]}')).toBeUndefined();
  });
});

describe('sampleItems', () => {
  it('measures the first items of a page, whatever their strings hold', () => {
    const items = [
      { metadata: { name: 'a', annotations: { x: '}{"]["\\"', y: '\\' } } },
      { metadata: { name: 'b' }, data: { z: '[[[{{{' } },
    ];
    const page = JSON.stringify({ metadata: { continue: 'abc' }, items });
    const texts = items.map((i) => JSON.stringify(i));
    expect(sampleItems(page)).toEqual({
      items: 2,
      chars: texts[0]!.length + 1 + texts[1]!.length,
      ended: true,
    });
    // A start that ends inside the second item: one item so far, and not enough to judge by.
    const cut = page.indexOf('"b"');
    expect(sampleItems(page.slice(0, cut))).toEqual({ items: 1, chars: texts[0]!.length, ended: false });
    expect(sampleItems(page.slice(0, cut), true)).toBeUndefined();
    expect(sampleItems('{"metadata":{}}')).toBeUndefined();
    expect(sampleItems('{"metadata":{},"items":[]}')).toEqual({ items: 0, chars: 0, ended: true });
  });

  it('judges by eight items, or by the characters it reads at most where no item ends', () => {
    const item = (k: number) => ({ metadata: { name: `cm-${k}` } });
    const many = JSON.stringify({ items: Array.from({ length: 20 }, (_, k) => item(k)) });
    expect(sampleItems(many, true)).toMatchObject({ items: 8, ended: false });
    const huge = JSON.stringify({ items: [{ data: { x: 'y'.repeat(ITEM_SAMPLE_CHARS) } }] });
    expect(sampleItems(huge.slice(0, ITEM_SAMPLE_CHARS), true)).toBeUndefined();
    expect(sampleItems(huge, true)).toEqual({ items: 0, chars: ITEM_SAMPLE_CHARS, ended: false });
  });

  it('judges by as few items as it is asked for, and reads no further', () => {
    const item = (k: number) => ({ metadata: { name: `cm-${k}` } });
    const first = JSON.stringify(item(0));
    const many = JSON.stringify({ items: Array.from({ length: 20 }, (_, k) => item(k)) });
    expect(sampleItems(many, true, 1)).toEqual({ items: 1, chars: first.length, ended: false });
    // The start of the second item is enough: the scan stopped at the end of the first.
    const cut = many.indexOf('"cm-1"');
    expect(sampleItems(many.slice(0, cut), true, 1)).toEqual({ items: 1, chars: first.length, ended: false });
    expect(sampleItems(many.slice(0, cut), true)).toBeUndefined();
  });
});

describe('dropIf', () => {
  const page = JSON.stringify({ metadata: { continue: 'abc', remainingItemCount: 9 }, items: [{}] });
  const large = dropIf((head) => (head.remainingItemCount ?? 0) > 5);

  it('cannot tell before the head has come, then judges the head', () => {
    const cut = page.indexOf('"items":');
    expect(large(page.slice(0, cut))).toBeUndefined();
    expect(large(page.slice(0, cut + 8))).toBe(true);
    expect(dropIf(() => false)(page)).toBe(false);
  });

  it('gives the judge the first items once the start holds enough of them', () => {
    const seen: unknown[] = [];
    const judge = dropIf((_head, sampleOf) => {
      const sample = sampleOf();
      seen.push(sample);
      return sample ? sample.items > 0 : undefined;
    });
    expect(judge(page.slice(0, page.indexOf('"items":') + 10))).toBeUndefined();
    expect(judge(page)).toBe(true);
    expect(seen).toEqual([undefined, { items: 1, chars: 2, ended: true }]);
  });

  it('keeps a page whose head does not parse, to be read whole and judged then', () => {
    expect(large('{"metadata":{"continue":"abc","x":[1,"items":[]}')).toBe(false);
  });
});
