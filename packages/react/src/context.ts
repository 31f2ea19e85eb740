import { createContext, useContext } from 'react';
import { createSelectorHook, type ReactReduxContextValue } from 'react-redux';
import type { KatesView, KatesViewStore } from './view.js';

/**
 * The react-redux context of the kates hooks: private, so that a kates provider and an
 * application's own react-redux `<Provider>` never see each other's store.
 */
export const KatesReduxContext = createContext<ReactReduxContextValue<KatesView> | null>(null);

/** react-redux's `useSelector` over the kates view. */
export const useKatesSelector = createSelectorHook(KatesReduxContext).withTypes<KatesView>();

/** The view store of the nearest provider; a clear error naming the hook outside one. */
export function useViewStore(hook: string): KatesViewStore {
  const context = useContext(KatesReduxContext);
  if (!context) {
    throw new Error(
      `${hook} must be used inside <KatesProvider accumulator={...}> or <KatesProvider store={...} ` +
        'selectors={...}>',
    );
  }
  // The provider puts a KatesViewStore there; react-redux types it as a Redux store.
  return context.store as unknown as KatesViewStore;
}
