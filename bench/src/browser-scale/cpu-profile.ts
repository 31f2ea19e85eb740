/** A CPU profile of the Chrome DevTools Protocol (`Profiler.stop`), the parts this file reads. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
    readonly children?: readonly number[];
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
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
