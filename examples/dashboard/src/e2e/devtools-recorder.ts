/** What the stand-in Redux DevTools extension saw. */
export interface RecordedDevTools {
  readonly name: string | undefined;
  readonly actions: number;
  readonly maxStateBytes: number;
  readonly maxActionBytes: number;
  /** The largest `payload.items.count` of a sanitized `kates/listPage`: the objects it stood for. */
  readonly maxListPageCount: number;
}

/**
 * Runs in the page before its scripts (Playwright `addInitScript`): a stand-in for the Redux
 * DevTools extension's compose hook, which serializes each sanitized action and state the way the
 * extension does, and records the sizes. Self-contained: Playwright sends its source text.
 */
export function devToolsRecorder(): void {
  type Options = {
    name?: string;
    actionSanitizer?: (a: unknown) => unknown;
    stateSanitizer?: (s: unknown) => unknown;
  };
  type AnyStore = { dispatch: (a: unknown) => unknown; getState: () => unknown };
  type Sanitized = { type?: string; payload?: { items?: { count?: number } } };
  const record = {
    name: undefined as string | undefined,
    actions: 0,
    maxStateBytes: 0,
    maxActionBytes: 0,
    maxListPageCount: 0,
  };
  const w = window as unknown as Record<string, unknown>;
  w.__devtools = record;
  w.__REDUX_DEVTOOLS_EXTENSION_COMPOSE__ =
    (options: Options) =>
    (...enhancers: ((next: unknown) => unknown)[]) =>
    (createStore: (...args: unknown[]) => AnyStore) =>
    (...args: unknown[]) => {
      record.name = options.name;
      type CreateStore = (...args: unknown[]) => AnyStore;
      const enhanced = enhancers.reduceRight<CreateStore>((next, e) => e(next) as CreateStore, createStore);
      const store = enhanced(...args);
      const dispatch = store.dispatch;
      store.dispatch = (action: unknown) => {
        const result = dispatch(action);
        const sanitized = (options.actionSanitizer ? options.actionSanitizer(action) : action) as Sanitized;
        const state = options.stateSanitizer ? options.stateSanitizer(store.getState()) : store.getState();
        record.actions++;
        record.maxActionBytes = Math.max(record.maxActionBytes, JSON.stringify(sanitized).length);
        record.maxStateBytes = Math.max(record.maxStateBytes, JSON.stringify(state).length);
        if (sanitized.type === 'kates/listPage') {
          record.maxListPageCount = Math.max(record.maxListPageCount, sanitized.payload?.items?.count ?? 0);
        }
        return result;
      };
      return store;
    };
}
