import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserBenchResults } from '../report/browser.js';
import { errorText } from './context.js';

const runner = fileURLToPath(new URL('../../browser/run.mjs', import.meta.url));

/**
 * What each mode measures: the full run every variant once for 5 s (300 frames, 500 or 5,000
 * events a run; 6 s until 2026-12-07), the ones with every row in the DOM at 1000 events/s only
 * (at 100 too until 2026-12-07: some 23 s of the run, for the same order as at 1000: kates-all
 * kept 54 fps there and naive-all 2, against 25 and 1.5 at 1000); the quick one the pair of the
 * bar once for 5 s. Both cuts keep the full run under 15 minutes. Three runs of 10 s each (7 of the
 * full plan's 24 minutes, the run with the median frame p95 shown) gave kates and naive the same
 * frame p95 on a quiet machine and main-thread times within about 30%, where the two differ 2.5 to
 * 3 times: they guarded against a loaded machine, which the full run is not meant for.
 */
const PLANS = {
  full: ['--rates', '100,1000', '--seconds', '5', '--repeat', '1', '--unvirtualized-at', '1000'],
  quick: ['--rates', '100,1000', '--seconds', '5', '--repeat', '1', '--variants', 'kates,naive'],
} as const;

/**
 * The browser part (issue 24): `bench/browser/run.mjs` in a process of its own (it drives
 * Chromium), its numbers read back from the JSON it writes. A failure is reported, not fatal.
 */
export async function runBrowserPart(
  mode: 'quick' | 'full',
  log: (line: string) => void,
): Promise<BrowserBenchResults> {
  const dir = mkdtempSync(join(tmpdir(), 'kates-bench-browser-'));
  const json = join(dir, 'browser.json');
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [runner, ...PLANS[mode], '--json', json], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let tail = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        tail = (tail + chunk).slice(-4000);
        for (const line of chunk.split('\n')) if (line.startsWith('[bench:browser]')) log(line.slice(0, 200));
      });
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`bench/browser/run.mjs exited with code ${code}: ${tail}`)),
      );
    });
    return JSON.parse(readFileSync(json, 'utf8')) as BrowserBenchResults;
  } catch (e) {
    log(`browser: FAILED ${errorText(e)}`);
    return { pods: 0, seconds: 0, repeat: 0, date: '', rates: [], notes: [], error: errorText(e) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
