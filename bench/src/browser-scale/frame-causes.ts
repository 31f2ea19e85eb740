import {
  type CpuProfile,
  type ProfileLine,
  type ProfileWindow,
  summarizeProfile,
  windowOf,
} from './cpu-profile.js';
import type { LongFrame } from './page-probes.js';

/** The frames over 50 ms of one page, by how much of them was the page's own work. */
export interface LongFrameCauses {
  /**
   * Counts by our work in each frame: with a CPU profile, the CPU time of our script (the page's
   * own origin) plus the garbage collector's; without, our script's time in the long animation
   * frames overlapping it (wall time: it counts the time the thread was descheduled in a script,
   * which on a loaded host is most of it). 50 ms or more, 10 to 50 ms, or under 10 ms (long
   * without us: the machine); `noLoaf`
   * of those under 10 ms overlapped no long animation frame at all (the main thread was never
   * busy 50 ms: a frame the machine held back).
   */
  readonly by: {
    readonly ours50: number;
    readonly ours10: number;
    readonly without: number;
    readonly noLoaf: number;
  };
  /**
   * Each frame: seconds after the first view, ms, our script in it by its long animation frames
   * (ms), and with a profile, what the profile sampled in it.
   */
  readonly frames: readonly {
    readonly at: number;
    readonly ms: number;
    readonly loafScript: number;
    readonly profile?: ProfileWindow;
  }[];
}

/** A profile and where it sits on the page's clock. */
export interface PlacedProfile {
  readonly profile: CpuProfile;
  /** When it started, on the page's clock (ms). */
  readonly at: number;
  /** The origin of the page's own scripts. */
  readonly bundle: string;
}

const overlaps = (a: number, d: number, b: number, e: number) => a < b + e && a + d > b;

/** Attributes each frame over 50 ms (`[start, duration]` on the page's clock). */
export function longFrameCauses(
  frames: readonly number[][],
  loafs: readonly LongFrame[],
  firstViewAt: number,
  placed: PlacedProfile | undefined,
): LongFrameCauses {
  const by = { ours50: 0, ours10: 0, without: 0, noLoaf: 0 };
  const out: LongFrameCauses['frames'][number][] = [];
  for (const [start, d] of frames as [number, number][]) {
    if (d <= 50) continue;
    const mine = loafs.filter(([ls, ld]) => overlaps(ls, ld, start, d));
    const loafScript = mine.reduce((a, l) => a + l[5], 0);
    const profile = placed
      ? windowOf(placed.profile, start - placed.at, start + d - placed.at, placed.bundle)
      : undefined;
    out.push({ at: (start - firstViewAt) / 1000, ms: d, loafScript, ...(profile ? { profile } : {}) });
    const ours = profile ? profile.script + profile.gc : loafScript;
    if (ours >= 50) by.ours50++;
    else if (ours >= 10) by.ours10++;
    else {
      by.without++;
      if (mine.length === 0) by.noLoaf++;
    }
  }
  return { by, frames: out };
}

/** The main thread's CPU over a profile, ms per second, by kind; `excluded` windows (page clock) left out. */
export interface SteadyCpu {
  readonly seconds: number;
  readonly perSec: Omit<ProfileWindow, 'top'>;
  readonly top: readonly ProfileLine[];
}

export function steadyCpu(
  placed: PlacedProfile,
  excluded: readonly (readonly [number, number])[],
): SteadyCpu {
  const { profile, at, bundle } = placed;
  const endMs = profile.timeDeltas.reduce((a, d) => a + d, 0) / 1000;
  const whole = windowOf(profile, 0, endMs, bundle);
  const kinds = ['script', 'gc', 'program', 'idle', 'gap'] as const;
  const sum = {
    script: whole.script,
    gc: whole.gc,
    program: whole.program,
    idle: whole.idle,
    gap: whole.gap,
  };
  let seconds = endMs / 1000;
  for (const [a, b] of excluded) {
    const w = windowOf(profile, a - at, b - at, bundle);
    for (const k of kinds) sum[k] -= w[k];
    seconds -= (b - a) / 1000;
  }
  const perSec = { ...sum };
  for (const k of kinds) perSec[k] = sum[k] / seconds;
  return { seconds, perSec, top: summarizeProfile(profile, 20) };
}
