import { setTimeout as sleep } from 'node:timers/promises';

/** How many of each kind of active resource (socket, timer, ...) the process holds, by type name. */
export type ResourceCounts = ReadonlyMap<string, number>;

/** A kind of resource held more after than before. */
export interface LeakedResource {
  readonly type: string;
  readonly before: number;
  readonly after: number;
}

/** Counts `process.getActiveResourcesInfo()` by type (`TCPSocketWrap`, `Timeout`, ...). */
export function activeResources(): ResourceCounts {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

/** The types held more now than in `before`. */
export function leakedSince(
  before: ResourceCounts,
  now: ResourceCounts = activeResources(),
): LeakedResource[] {
  const out: LeakedResource[] = [];
  for (const [type, after] of now) {
    const was = before.get(type) ?? 0;
    if (after > was) out.push({ type, before: was, after });
  }
  return out.sort((a, b) => a.type.localeCompare(b.type));
}

/**
 * Waits up to `timeoutMs` for the process to hold no more resources of any type than `before`
 * (sockets close and timers fire asynchronously after a close), and returns what it still holds
 * beyond that: empty when nothing leaked.
 */
export async function awaitNoLeaks(before: ResourceCounts, timeoutMs = 10_000): Promise<LeakedResource[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const leaked = leakedSince(before);
    if (leaked.length === 0 || Date.now() >= deadline) return leaked;
    await sleep(100);
  }
}
