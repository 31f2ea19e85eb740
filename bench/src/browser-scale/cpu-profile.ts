/** A CPU profile of the Chrome DevTools Protocol (`Profiler.stop`), the parts this file reads. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
    readonly children?: readonly number[];
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  /** µs, on the profiler's clock. */
  readonly startTime: number;
}

/** One function's share of a profile, ms. */
export interface ProfileLine {
  readonly fn: string;
  readonly selfMs: number;
  readonly totalMs: number;
}

const keyOf = (f: CpuProfile['nodes'][number]['callFrame']) =>
  `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber + 1}`;

/**
 * Self time (samples in the function itself) and total time (samples with the function anywhere
 * on the stack, once per sample) by function, the `top` largest by self time, and the
 * total of `(idle)` and `(program)` so that the rest is the page's own work.
 */
export function summarizeProfile(profile: CpuProfile, top = 25): ProfileLine[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    let node = byId.get(profile.samples[i] as number);
    if (!node) continue;
    const k = keyOf(node.callFrame);
    self.set(k, (self.get(k) ?? 0) + ms);
    const seen = new Set<string>();
    while (node) {
      const key = keyOf(node.callFrame);
      if (!seen.has(key)) {
        seen.add(key);
        total.set(key, (total.get(key) ?? 0) + ms);
      }
      const up = parent.get(node.id);
      node = up === undefined ? undefined : byId.get(up);
    }
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, selfMs]) => ({ fn, selfMs, totalMs: total.get(fn) ?? selfMs }));
}

/** Total time (ms) of the functions whose key matches `pattern` (each sample counted once). */
export function totalOf(profile: CpuProfile, pattern: RegExp): number {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  let ms = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    let node = byId.get(profile.samples[i] as number);
    while (node) {
      if (pattern.test(keyOf(node.callFrame))) {
        ms += (profile.timeDeltas[i + 1] ?? 0) / 1000;
        break;
      }
      const up = parent.get(node.id);
      node = up === undefined ? undefined : byId.get(up);
    }
  }
  return ms;
}

/**
 * Self time (ms) of the functions whose key matches `pattern`: samples in them, not in what they
 * call. A builtin such as `JSON.parse` has no node of its own in a profile: its samples are its
 * caller's self time.
 */
export function selfOf(profile: CpuProfile, pattern: RegExp): number {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  let ms = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i] as number);
    if (node && pattern.test(keyOf(node.callFrame))) ms += (profile.timeDeltas[i + 1] ?? 0) / 1000;
  }
  return ms;
}

/** A stretch of the main thread busy without a break: when, how long, and its largest functions. */
export interface BusyStretch {
  /** ms from the profile's start. */
  readonly at: number;
  readonly ms: number;
  readonly top: readonly { readonly fn: string; readonly ms: number }[];
}

/**
 * The stretches of at least `minMs` in which every sample was busy (not `(idle)`, gaps between
 * samples under `gapMs`): what a long task did, function by function (self time).
 */
export function busyStretches(profile: CpuProfile, minMs = 50, gapMs = 4): BusyStretch[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const out: BusyStretch[] = [];
  let t = 0;
  let start = -1;
  let last = 0;
  let self = new Map<string, number>();
  const close = () => {
    if (start >= 0 && last - start >= minMs) {
      const top = [...self.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6)
        .map(([fn, ms]) => ({ fn, ms }));
      out.push({ at: start, ms: last - start, top });
    }
    start = -1;
    self = new Map();
  };
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = (profile.timeDeltas[i] ?? 0) / 1000;
    t += delta;
    const node = byId.get(profile.samples[i] as number);
    const key = node ? keyOf(node.callFrame) : '?';
    const idle = key.startsWith('(idle)');
    if (idle || (start >= 0 && delta > gapMs)) close();
    if (idle) continue;
    if (start < 0) start = t;
    last = t;
    self.set(key, (self.get(key) ?? 0) + delta);
  }
  close();
  return out;
}

/** What the main thread did in one window of a profile, ms (see {@link windowOf}). */
export interface ProfileWindow {
  /** Samples in the page's own script (a frame of its bundle on the stack). */
  readonly script: number;
  readonly gc: number;
  /** Native work outside script and GC: style, layout, paint, parsing, the event loop. */
  readonly program: number;
  readonly idle: number;
  /** Time between samples beyond twice the interval: the thread was not running (descheduled). */
  readonly gap: number;
  /** The largest functions by self time. */
  readonly top: readonly string[];
}

/**
 * The samples of `profile` from `fromMs` to `toMs` (ms since the profile's start), by kind: the
 * page's script (a function of a script at `scriptUrl` on the stack), GC, other work, idle, and
 * the gaps where no sample was taken.
 */
export function windowOf(
  profile: CpuProfile,
  fromMs: number,
  toMs: number,
  scriptUrl: string,
  intervalMs = 1,
): ProfileWindow {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const w = { script: 0, gc: 0, program: 0, idle: 0, gap: 0 };
  const self = new Map<string, number>();
  let t = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = (profile.timeDeltas[i] ?? 0) / 1000;
    const start = t;
    t += delta;
    // Each sample stands for the time since the one before it.
    const a = Math.max(start, fromMs);
    const b = Math.min(t, toMs);
    if (b <= a) {
      if (start >= toMs) break;
      continue;
    }
    const share = b - a;
    const gap = delta > 2 * intervalMs ? share * ((delta - intervalMs) / delta) : 0;
    w.gap += gap;
    const ms = share - gap;
    let node = byId.get(profile.samples[i] as number);
    if (!node) continue;
    const key = keyOf(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + ms);
    if (key.startsWith('(garbage collector)')) w.gc += ms;
    else if (key.startsWith('(idle)')) w.idle += ms;
    else {
      let ours = false;
      while (node && !ours) {
        ours = node.callFrame.url.startsWith(scriptUrl) && scriptUrl !== '';
        const up = parent.get(node.id);
        node = up === undefined ? undefined : byId.get(up);
      }
      if (ours) w.script += ms;
      else w.program += ms;
    }
  }
  const top = [...self.entries()]
    .sort((x, y) => y[1] - x[1])
    .slice(0, 4)
    .filter(([, ms]) => ms >= 1)
    .map(([fn, ms]) => `${fn} ${ms.toFixed(0)}`);
  return { ...w, top };
}

/** When the first sample in function `name` was taken, ms from the profile's start. */
export function firstSampleIn(profile: CpuProfile, name: string): number | undefined {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  let t = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += (profile.timeDeltas[i] ?? 0) / 1000;
    let node = byId.get(profile.samples[i] as number);
    while (node) {
      if (node.callFrame.functionName === name) return t;
      const up = parent.get(node.id);
      node = up === undefined ? undefined : byId.get(up);
    }
  }
  return undefined;
}
