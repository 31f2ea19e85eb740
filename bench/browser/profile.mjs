#!/usr/bin/env node
/**
 * Where the main thread's time and the heap go in the browser benchmark's synthetic page: a CPU
 * profile (Chrome DevTools Protocol `Profiler`) of the measured seconds, summed by function, and
 * the live heap after a full GC summed by constructor (`HeapProfiler` snapshot).
 *
 *   node bench/browser/profile.mjs [--variant kates] [--pods 10000] [--rate 100] [--seconds 8]
 *        [--top 30] [--heap] [--out dir]
 *
 * The page is built without minification so that functions keep their names; React stays a
 * production build. `--out dir` also writes the raw `.cpuprofile` (open it in DevTools).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from '../../packages/testing/dist/browser/chromium.js';
import { buildPage, serve } from './pages.mjs';

const { values } = parseArgs({
  options: {
    variant: { type: 'string', default: 'kates' },
    pods: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '8' },
    top: { type: 'string', default: '30' },
    heap: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});

/** A function's key: name and where it is defined (the bundle is one file, so the line names it). */
const keyOf = (f) => `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;

/**
 * Self time (samples in the function itself) and total time (samples with the function anywhere
 * on the stack, counted once per sample) by function, in ms.
 */
export function summarizeProfile(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const total = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    let node = byId.get(profile.samples[i]);
    const k = keyOf(node.callFrame);
    self.set(k, (self.get(k) ?? 0) + ms);
    const seen = new Set();
    while (node) {
      const key = keyOf(node.callFrame);
      if (!seen.has(key)) {
        seen.add(key);
        total.set(key, (total.get(key) ?? 0) + ms);
      }
      node = byId.get(parent.get(node.id));
    }
  }
  return { self, total };
}

/** Live heap after a full GC, by node type and constructor name: self sizes in MB, and counts. */
async function heapByConstructor(cdp) {
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const chunks = [];
  cdp.on('HeapProfiler.addHeapSnapshotChunk', (e) => chunks.push(e.chunk));
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  const snap = JSON.parse(chunks.join(''));
  const { node_fields: fields, node_types: types } = snap.snapshot.meta;
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const typeNames = types[0];
  const out = new Map();
  let all = 0;
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = typeNames[snap.nodes[i + typeAt]];
    const name = type === 'object' || type === 'native' ? snap.strings[snap.nodes[i + nameAt]] : `(${type})`;
    const size = snap.nodes[i + sizeAt];
    all += size;
    const e = out.get(name) ?? { bytes: 0, count: 0 };
    e.bytes += size;
    e.count++;
    out.set(name, e);
  }
  return { all, byName: out };
}

const table = (map, n, unit) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `  ${v.toFixed(1).padStart(8)} ${unit}  ${k}`)
    .join('\n');

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'kates-bench-profile-'));
  const web = join(work, 'web');
  await buildPage(web, { minify: false });
  const server = await serve(web);
  const context = await chromium.launchPersistentContext(join(work, 'profile'), {
    ...(await chromiumLaunchOptions()),
    viewport: { width: 1280, height: 900 },
  });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const q = new URLSearchParams({
      variant: values.variant,
      pods: values.pods,
      rate: values.rate,
      seconds: values.seconds,
    });
    await page.goto(`http://127.0.0.1:${server.address().port}/?${q}`);
    await page.waitForFunction(() => window.__benchPhase === 'measuring', undefined, { timeout: 120_000 });
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    await page.waitForFunction(() => window.__bench !== undefined, undefined, {
      timeout: (Number(values.seconds) + 120) * 1000,
      polling: 500,
    });
    const { profile } = await cdp.send('Profiler.stop');
    const r = await page.evaluate(() => window.__bench);
    if (r.error) throw new Error(r.error);
    const { self, total } = summarizeProfile(profile);
    const span = (profile.endTime - profile.startTime) / 1e6;
    const top = Number(values.top);
    const lines = [
      `${values.variant}: ${r.events} events in ${span.toFixed(1)} s of profile (${values.pods} pods, ${values.rate}/s)`,
      `\nTotal time by function (ms over the profile; per event = / ${r.events}):`,
      table(total, top, 'ms'),
      `\nSelf time by function (ms):`,
      table(self, top, 'ms'),
    ];
    if (values.heap) {
      const heap = await heapByConstructor(cdp);
      const mb = new Map([...heap.byName].map(([k, v]) => [`${k} (${v.count})`, v.bytes / 1048576]));
      lines.push(`\nLive heap after GC: ${(heap.all / 1048576).toFixed(1)} MB; by constructor (MB):`);
      lines.push(table(mb, top, 'MB'));
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    if (values.out) {
      mkdirSync(values.out, { recursive: true });
      writeFileSync(join(values.out, `${values.variant}-${values.rate}.cpuprofile`), JSON.stringify(profile));
    }
  } finally {
    await context.close();
    server.close();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`bench:profile failed: ${e?.stack ?? e}\n`);
  process.exit(1);
});
