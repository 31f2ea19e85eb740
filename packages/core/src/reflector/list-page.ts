import type { DropBody } from '../transport/types.js';

/** What the head of a LIST page says of the list, read before its items are parsed. */
export interface ListHead {
  /** The token of the next page; undefined on the last. */
  readonly continue?: string;
  /** Objects after this page, where the server counts them (no label or field selector). */
  readonly remainingItemCount?: number;
}

/**
 * The `metadata` of a LIST page, read from the start of its text before its items are parsed: so
 * that the next page can be asked for while this one is parsed, and the size of the collection is
 * known from its first page. The API server writes `metadata` before `items`; where a page does
 * not (or the head does not parse), the answer is undefined and the caller waits for the parsed
 * page instead.
 */
export function peekListHead(body: string): ListHead | undefined {
  const items = body.indexOf('"items":');
  if (items < 0) return undefined;
  try {
    const head = JSON.parse(`${body.slice(0, items).replace(/,\s*$/, '')}}`) as {
      metadata?: { continue?: unknown; remainingItemCount?: unknown };
    };
    const token = head?.metadata?.continue;
    const remaining = head?.metadata?.remainingItemCount;
    return {
      ...(typeof token === 'string' && token !== '' ? { continue: token } : {}),
      ...(typeof remaining === 'number' && Number.isSafeInteger(remaining) && remaining >= 0
        ? { remainingItemCount: remaining }
        : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * Judges the start of a LIST page's text by its head (see `TransportResponse.textUnless`): whether
 * `unwanted` holds for it. Undefined until the head has come; a head that does not parse leaves the
 * page to be read whole, and judged then.
 */
export function dropIf(unwanted: (head: ListHead) => boolean): DropBody {
  return (start) => {
    if (!start.includes('"items":')) return undefined;
    const head = peekListHead(start);
    return head ? unwanted(head) : false;
  };
}
