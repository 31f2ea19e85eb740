import { useLayoutEffect } from 'react';

/** When each event was handed to the variant, by `uid@resourceVersion`; taken out when its row commits. */
const emittedAt = new Map<string, number>();
/** Event to commit of its row, in ms, for the events of pods in view. */
export const commitLatencies: number[] = [];

/** Notes the time an event is handed over (only pods that can be in view: the others never commit). */
export function emitted(uid: string, resourceVersion: string): void {
  emittedAt.set(`${uid}@${resourceVersion}`, performance.now());
}

/**
 * Records, when a row commits the object version `resourceVersion`, how long ago its event was
 * handed over: React commits and the browser paints in the same frame, so with one flush per frame
 * this shows the latency the batching adds (at most a frame). An event overtaken by a newer one of
 * the same pod within the frame never commits and is not counted.
 */
export function useCommitLatency(uid: string, resourceVersion: string | undefined): void {
  useLayoutEffect(() => {
    const key = `${uid}@${resourceVersion}`;
    const t = emittedAt.get(key);
    if (t === undefined) return;
    emittedAt.delete(key);
    commitLatencies.push(performance.now() - t);
  }, [uid, resourceVersion]);
}

/** Forgets events that never committed (overtaken, or out of view). */
export function resetLatencies(): void {
  emittedAt.clear();
  commitLatencies.length = 0;
}
