import type { Accumulator, KatesSelectors } from '@kates/core/browser';
import { type ReactNode, useMemo } from 'react';
import { Provider, type ProviderProps } from 'react-redux';
import { KatesReduxContext } from './context.js';
import { accumulatorViewStore, type KatesView, type StoreLike, storeViewStore } from './view.js';

/** Props of {@link KatesProvider}: an accumulator, or a store holding a kates slice with its selectors. */
export type KatesProviderProps<Root = unknown> =
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
    };

/**
 * Makes an accumulator's snapshot (or a kates store's) available to the hooks below it.
 * Rendering on a server reads the snapshot as it is at render time.
 *
 * @example
 * ```tsx
 * const acc = client.watch([{ name: 'pods', kind: 'pods' }]);
 * root.render(<KatesProvider accumulator={acc}><Pods /></KatesProvider>);
 * ```
 * @public
 */
export function KatesProvider<Root>(props: KatesProviderProps<Root>): ReactNode {
  const { accumulator, store, selectors, children } = props;
  const viewStore = useMemo(() => {
    if (accumulator) return accumulatorViewStore(accumulator);
    if (store && selectors) return storeViewStore(store, selectors);
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
