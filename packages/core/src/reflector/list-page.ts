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
 * What the first items of a LIST page's text say of its items' size (see {@link sampleItems}).
 */
export interface ItemSample {
  /** Items that end within the sample. */
  readonly items: number;
  /**
   * Characters from the first item's start to the end of the last one that ends within the
   * sample; where none ends there, the characters of the sample after `"items":[` (a lower bound
   * of the first item's length).
   */
  readonly chars: number;
  /** The items array ends within the sample: the page holds `items` items. */
  readonly ended: boolean;
}

/** Characters after `"items":[` that {@link sampleItems} reads at most. */
export const ITEM_SAMPLE_CHARS = 60_000;

/** Items after which {@link sampleItems} stops reading: enough for a mean. */
const ITEM_SAMPLE_ITEMS = 8;

/**
 * The size of the first items of a LIST page, read from the start of its text: up to
 * {@link ITEM_SAMPLE_CHARS} characters after `"items":[`, or `most` items ({@link ITEM_SAMPLE_ITEMS}
 * unless asked for fewer). Undefined where the text does not reach `"items":[`, or, with `enough`,
 * where it does not yet hold enough to judge (fewer items, fewer characters, and no end of the
 * array): read more and ask again. A scan that follows JSON strings and nesting, parsing nothing.
 * Proved by 'measures the first items of a page, whatever their strings hold' (list-page.test.ts).
 */
export function sampleItems(body: string, enough = false, most = ITEM_SAMPLE_ITEMS): ItemSample | undefined {
  const key = body.indexOf('"items":');
  if (key < 0) return undefined;
  let i = key + 8;
  while (i < body.length && body.charCodeAt(i) !== 0x5b /* [ */) i++;
  const start = i + 1;
  const limit = Math.min(body.length, start + ITEM_SAMPLE_CHARS);
  let items = 0;
  let end = start;
  let depth = 0;
  let ended = false;
  let inString = false;
  for (i = start; i < limit && items < most; i++) {
    const c = body.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b) depth++;
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      if (depth === 0) {
        // The array's end (or, in a malformed page, the end of what can be read as items).
        ended = true;
        break;
      }
      if (--depth === 0) {
        items++;
        end = i + 1;
      }
    }
  }
  const decided = ended || items >= most || i >= start + ITEM_SAMPLE_CHARS;
  if (enough && !decided) return undefined;
  return { items, chars: items > 0 ? end - start : Math.max(0, i - start), ended };
}

/**
 * The first items of a page, read when asked ({@link sampleItems}), as far as `most` items: a judge
 * that decides by the head alone never scans them, and one that needs a single item scans one.
 */
export type SampleOf = (most?: number) => ItemSample | undefined;

/**
 * Judges the start of a LIST page's text by its head and its first items (see
 * `TransportResponse.textUnless`): whether `unwanted` holds for them. `unwanted` gets the sample
 * once the start holds enough of the items ({@link sampleItems}), and undefined before; it answers
 * undefined to be asked again with more. Undefined until the head has come; a head that does not
 * parse leaves the page to be read whole, and judged then.
 */
export function dropIf(unwanted: (head: ListHead, sample: SampleOf) => boolean | undefined): DropBody {
  return (start) => {
    if (!start.includes('"items":')) return undefined;
    const head = peekListHead(start);
    return head ? unwanted(head, (most) => sampleItems(start, true, most)) : false;
  };
}
