import { useKatesSelector, useViewStore } from './context.js';
import type { KatesSnapshot } from './types.js';

/**
 * Selects from the snapshot (query name -> sorted items). The component re-renders only when the
 * selected value changes (`===`, or `isEqual`). Selectors run on every change of the snapshot,
 * so keep them cheap: look objects up with `indexByUid` / `indexByName` rather than scanning.
 *
 * @example
 * ```tsx
 * const running = useSnapshot((s) => countRunning(s.pods)); // countRunning memoized per array
 * ```
 * @public
 */
export function useSnapshot<T>(
  selector: (snapshot: KatesSnapshot) => T,
  isEqual?: (a: T, b: T) => boolean,
): T {
  useViewStore('useSnapshot');
  return useKatesSelector((view) => selector(view.snapshot), isEqual);
}
