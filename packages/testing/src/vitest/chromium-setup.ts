import { resolveChromium } from '../browser/chromium.js';

/**
 * Vitest global setup of the `integration` project: finds the Chromium the browser tests drive and,
 * on a machine's first run, unpacks the npm-shipped one (about 3 s) before the test files start,
 * so parallel files do not each unpack a copy. It says which binary runs.
 */
export async function setup(): Promise<void> {
  const chromium = await resolveChromium();
  process.stderr.write(`[chromium] ${chromium.description}\n`);
}
