import type { Accumulator, KatesSelectors } from '@kates/core/browser';
import { type ReactNode, useMemo } from 'react';
import { Provider, type ProviderProps } from 'react-redux';
import { KatesReduxContext } from './context.js';
import { type NotifySchedule, schedulerOf } from './notify-schedule.js';
import { accumulatorViewStore, type KatesView, type StoreLike, storeViewStore } from './view.js';

/**
 * Props of {@link KatesProvider}: an accumulator, or a store holding a kates slice with its
 * selectors; and when components hear of changes.
 */
export type KatesProviderProps<Root = unknown> = (
  | {
      /** The accumulator whose queries the hooks read, by name (what `client.watch(...)` returns). */
      readonly accumulator: Accumulator;
      readonly store?: never;
      readonly selectors?: never;
      readonly children?: ReactNode;
    }
  | {
      readonly accumulator?: never;
      /** A Redux store with a kates slice: every query of every accumulator on it, by name. */
      readonly store: StoreLike<Root>;
      /** `createKatesSelectors((root) => root.kates)`: where the slice sits, and memoized selectors. */
      readonly selectors: KatesSelectors<Root>;
      readonly children?: ReactNode;
    }
) & {
  /**
   * When components hear of changes: `'frame'` (the default) once per animation frame for all
   * the watch events of the frame; `'sync'` on every change; or a function given `flush` (see
   * {@link NotifySchedule}). Read once, when the provider mounts or its source changes.
   */
  readonly notify?: NotifySchedule;
};

/**
 * Makes an accumulator's snapshot (or a kates store's) available to the hooks below it. Components
 * hear of changes once per animation frame (see `notify`), and re-render only when what they read
 * changed. Rendering on a server reads the snapshot as it is at render time.
 *
 * @example
 * ```tsx
 * const acc = client.watch([{ name: 'pods', kind: 'pods' }]);
 * root.render(<KatesProvider accumulator={acc}><Pods /></KatesProvider>);
 * ```
 * @public
 */
export function KatesProvider<Root>(props: KatesProviderProps<Root>): ReactNode {
  const { accumulator, store, selectors, children, notify } = props;
  // The schedule is read with the source only: a caller's inline function must not make a new
  // view store (and re-subscribe every component) on each render.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  const viewStore = useMemo(() => {
    const schedule = schedulerOf(notify);
    if (accumulator) return accumulatorViewStore(accumulator, schedule);
    if (store && selectors) return storeViewStore(store, selectors, schedule);
    throw new TypeError(
      '<KatesProvider> needs an `accumulator`, or a `store` with its `selectors` ' +
        '(createKatesSelectors((root) => root.kates))',
    );
  }, [accumulator, store, selectors]);
  return (
    <Provider
      context={KatesReduxContext}
      store={viewStore as unknown as ProviderProps<never, KatesView>['store']}
      stabilityCheck="never"
      identityFunctionCheck="never"
    >
      {children}
    </Provider>
  );
}
