import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserBenchResults } from '../report/browser.js';
import { errorText } from './context.js';

const runner = fileURLToPath(new URL('../../browser/run.mjs', import.meta.url));

/** What each mode measures: the full run all variants three times, the quick one the pair of the bar once. */
const PLANS = {
  full: ['--rates', '100,1000', '--seconds', '10', '--repeat', '3'],
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
