import { configureStore, type EnhancedStore, type StoreEnhancer } from '@reduxjs/toolkit';
import { createKatesReducer } from './reducer.js';
import type { KatesState } from './state.js';

/** The root state of a store made by {@link createKatesStore}. */
export interface KatesRootState {
  readonly kates: KatesState;
}

export type KatesStore = EnhancedStore<KatesRootState>;

export interface KatesStoreOptions {
  /** Store enhancers, e.g. the recorder of `@kates/core` time travel. */
  readonly enhancers?: readonly StoreEnhancer[];
  /** Redux DevTools options, or false (the default in Node). */
  readonly devTools?: boolean | Record<string, unknown>;
  /**
   * Deep-freeze stored objects, so that a mutation of a snapshot object throws. Default: on,
   * except when `NODE_ENV` is `production`; see `freezeByDefault`.
   */
  readonly freeze?: boolean;
}

/**
 * A Redux store holding one kates slice under `kates`. The serializability and immutability
 * middlewares of Redux Toolkit are off: they walk the whole state on every dispatch (O(n) at
 * 100k objects); actions are plain data by construction, and stored objects are frozen on their
 * way in (outside production) instead.
 */
export function createKatesStore(options: KatesStoreOptions = {}): KatesStore {
  return configureStore({
    reducer: { kates: createKatesReducer({ freeze: options.freeze }) },
    middleware: (getDefault) => getDefault({ serializableCheck: false, immutableCheck: false }),
    devTools: options.devTools ?? false,
    enhancers: (getDefault) => getDefault().concat(...(options.enhancers ?? [])),
  }) as KatesStore;
}
