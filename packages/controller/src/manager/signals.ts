/** What {@link onShutdownSignals} listens on: `process`, or a stand-in in tests. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

/**
 * Calls `stop(signal)` on the first of `signals`; on a second one, calls `force(signal)` (by
 * default, exits with status 1: an operator who presses Ctrl-C twice wants out now, as
 * controller-runtime's signal handler does). Returns a function that removes the listeners.
 */
export function onShutdownSignals(
  stop: (signal: NodeJS.Signals) => void,
  options: {
    readonly signals?: readonly NodeJS.Signals[];
    readonly source?: SignalSource;
    readonly force?: (signal: NodeJS.Signals) => void;
  } = {},
): () => void {
  const source = options.source ?? process;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const force =
    options.force ??
    ((signal) => {
      console.error(`${signal} received again: exiting at once`);
      process.exit(1);
    });
  let received = false;
  const listeners = signals.map((signal) => {
    const listener = () => {
      if (received) force(signal);
      else {
        received = true;
        stop(signal);
      }
    };
    source.on(signal, listener);
    return [signal, listener] as const;
  });
  return () => {
    for (const [signal, listener] of listeners) source.off(signal, listener);
  };
}
