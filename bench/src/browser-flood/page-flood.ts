/**
 * Functions evaluated in the dashboard's page for the flood (Playwright serializes them: they
 * close over nothing). The frame recorder itself is browser-scale's (page-probes.ts).
 */

/**
 * The page shows `rv` in the row of pod `name` (its Version column): the time, on the page's
 * clock, or false.
 */
export function rowShows({ name, rv }: { name: string; rv: string }): number | false {
  const row = document.querySelector(`[data-testid="table-pods"] .row[data-name="${name}"]`);
  if (!row) return false;
  for (const cell of Array.from(row.children)) if (cell.textContent === rv) return performance.now();
  return false;
}

/**
 * The pods the page's store holds, `[name, resourceVersion]`: read from the accumulator the
 * page's `<KatesProvider>` was given (found through React's fiber tree), not from the DOM, which
 * shows the visible rows only.
 */
export function storePods(): [string, string][] | string {
  const root = document.getElementById('root') as (HTMLElement & Record<string, unknown>) | null;
  if (!root) return 'no #root';
  const key = Object.keys(root).find((k) => k.startsWith('__reactContainer$'));
  if (!key) return 'no React root on #root';
  interface Fiber {
    child: Fiber | null;
    sibling: Fiber | null;
    memoizedProps?: { accumulator?: { getSnapshot(): Record<string, unknown> } } | null;
  }
  const stack: Fiber[] = [root[key] as Fiber];
  let seen = 0;
  while (stack.length > 0 && seen++ < 100_000) {
    const f = stack.pop() as Fiber;
    const acc = f.memoizedProps?.accumulator;
    if (acc && typeof acc.getSnapshot === 'function') {
      const pods = (acc.getSnapshot().pods ?? []) as {
        metadata?: { name?: string; resourceVersion?: string };
      }[];
      return pods.map((p) => [p.metadata?.name ?? '', p.metadata?.resourceVersion ?? '']);
    }
    if (f.sibling) stack.push(f.sibling);
    if (f.child) stack.push(f.child);
  }
  return 'no accumulator in the React tree';
}

/** Pods events the page has taken (the status bar's counter). */
export function podsEvents(): number {
  return Number(document.querySelector<HTMLElement>('[data-testid="status-pods"]')?.dataset.events ?? 0);
}
