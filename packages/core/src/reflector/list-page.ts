/**
 * The continue token of a LIST page, read from the start of its text before its items are parsed,
 * so that the next page can be asked for while this one is parsed. The API server writes `metadata`
 * before `items`; where a page does not (or the head does not parse), the answer is undefined and
 * the caller waits for the parsed page instead.
 */
export function peekContinue(body: string): string | undefined {
  const items = body.indexOf('"items":');
  if (items < 0) return undefined;
  try {
    const head = JSON.parse(`${body.slice(0, items).replace(/,\s*$/, '')}}`) as {
      metadata?: { continue?: unknown };
    };
    const token = head?.metadata?.continue;
    return typeof token === 'string' && token !== '' ? token : undefined;
  } catch {
    return undefined;
  }
}
