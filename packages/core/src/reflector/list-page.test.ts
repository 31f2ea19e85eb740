import { describe, expect, it } from 'vitest';
import { dropIf, peekListHead } from './list-page.js';

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

describe('dropIf', () => {
  const page = JSON.stringify({ metadata: { continue: 'abc', remainingItemCount: 9 }, items: [{}] });
  const large = dropIf((head) => (head.remainingItemCount ?? 0) > 5);

  it('cannot tell before the head has come, then judges the head', () => {
    const cut = page.indexOf('"items":');
    expect(large(page.slice(0, cut))).toBeUndefined();
    expect(large(page.slice(0, cut + 8))).toBe(true);
    expect(dropIf(() => false)(page)).toBe(false);
  });

  it('keeps a page whose head does not parse, to be read whole and judged then', () => {
    expect(large('{"metadata":{"continue":"abc","x":[1,"items":[]}')).toBe(false);
  });
});
