/**
 * When a {@link KatesProvider} tells its components about changes:
 *
 * - `'frame'` (the default): once per animation frame, for everything that changed since the last
 *   one. Watch events arrive one by one (a hundred or a thousand a second on a busy cluster), but
 *   the screen changes once a frame: the view, the selectors of `useSnapshot` and `useQueryUids`,
 *   and the wake-up of the rows run once for all the events of a frame. A change waits at most
 *   until the next frame, and React renders it in that frame, before it is painted: what the user
 *   sees is not later than without batching. While the tab is hidden, browsers pause frames, and
 *   nothing renders until it is shown. Without `requestAnimationFrame` (a server, a test without a
 *   DOM) the next macrotask stands in for the frame.
 * - `'sync'`: on every change of the source, at once (each watch batch the store applies).
 * - a function: called with `flush` once per batch of changes; call `flush` when the batch should
 *   be told (to measure it, or to drive frames by hand in a test).
 *
 * Whatever the schedule, a component that renders for another reason reads the newest state.
 * @public
 */
export type NotifySchedule = 'frame' | 'sync' | ((flush: () => void) => void);

/** Schedules `flush` for the next animation frame (or the next macrotask without frames). */
export function nextFrame(flush: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => flush());
  else setTimeout(flush, 0);
}

function now(flush: () => void): void {
  flush();
}

/** The scheduling function of a {@link NotifySchedule}. */
export function schedulerOf(schedule: NotifySchedule = 'frame'): (flush: () => void) => void {
  if (schedule === 'frame') return nextFrame;
  if (schedule === 'sync') return now;
  if (typeof schedule === 'function') return schedule;
  throw new TypeError(
    `<KatesProvider notify=${JSON.stringify(schedule)}>: notify is 'frame' (the default), 'sync', ` +
      'or a function that calls flush',
  );
}
