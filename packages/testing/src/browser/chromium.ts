import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { SHIPPED_CHROMIUM_PACKAGE, unpackShippedChromium } from './shipped-chromium.js';

/**
 * How the project runs Chromium in tests and benchmarks: headless, without the sandbox (containers
 * have no user namespaces), and with nothing phoning home (test machines may have no network but
 * the package registries). QUIC is off so that every request goes over the TCP connections the
 * tests count and proxy.
 */
export interface ChromiumLaunchOptions {
  readonly executablePath: string;
  readonly headless: true;
  readonly args: string[];
  /** The browser's environment: this process's, plus what the npm-shipped Chromium needs. */
  readonly env: Record<string, string>;
}

/** Which Chromium runs, and where it came from. */
export interface ResolvedChromium {
  readonly executablePath: string;
  /** `CHROMIUM` (the variable named it), `system` (found on PATH) or the npm package's name. */
  readonly source: 'CHROMIUM' | 'system' | typeof SHIPPED_CHROMIUM_PACKAGE;
  /** Variables the binary needs besides this process's environment. */
  readonly env: Readonly<Record<string, string>>;
  /** One line for logs: which binary, from where, and the unpack time on a first run. */
  readonly description: string;
}

/** Names of a system Chromium or Chrome, looked up on PATH in this order. */
const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome'];

let resolved: Promise<ResolvedChromium> | undefined;

/**
 * Finds the Chromium to drive, once per process:
 * 1. `CHROMIUM=/path/to/binary`; `CHROMIUM=@sparticuz/chromium` forces the npm-shipped one;
 * 2. a system Chromium or Chrome on PATH (`chromium`, `chromium-browser`, `google-chrome`);
 * 3. the Chromium that the root devDependency `@sparticuz/chromium` ships inside its npm tarball,
 *    unpacked once per machine (about 3 s) into `~/.cache/kates/chromium-<version>`.
 * So `npm install` is all a machine needs: no apt-get, no browser download.
 */
export function resolveChromium(): Promise<ResolvedChromium> {
  resolved ??= locate();
  return resolved;
}

async function locate(): Promise<ResolvedChromium> {
  const named = process.env.CHROMIUM;
  if (named && named !== SHIPPED_CHROMIUM_PACKAGE) {
    if (!isExecutableFile(named)) {
      throw new Error(
        `CHROMIUM=${named} is not an executable file: point it at a Chromium or Chrome binary, ` +
          `set it to ${SHIPPED_CHROMIUM_PACKAGE} for the npm-shipped one, or unset it`,
      );
    }
    return { executablePath: named, source: 'CHROMIUM', env: {}, description: `${named} (from CHROMIUM)` };
  }
  if (!named) {
    const system = findOnPath(SYSTEM_NAMES);
    if (system)
      return { executablePath: system, source: 'system', env: {}, description: `${system} (system)` };
  }
  const shipped = await unpackShippedChromium();
  return {
    executablePath: shipped.executablePath,
    source: SHIPPED_CHROMIUM_PACKAGE,
    env: shipped.env,
    description:
      `${shipped.executablePath} (${SHIPPED_CHROMIUM_PACKAGE} ${shipped.version}` +
      (shipped.unpackMs ? `, unpacked in ${(shipped.unpackMs / 1000).toFixed(1)} s)` : ')'),
  };
}

/** The options for Playwright's `chromium.launch*()`, with the binary of {@link resolveChromium}. */
export async function chromiumLaunchOptions(): Promise<ChromiumLaunchOptions> {
  const chromium = await resolveChromium();
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return {
    executablePath: chromium.executablePath,
    headless: true,
    env: { ...env, ...chromium.env },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      // Containers often give /dev/shm 64 MB, too little for the 10,000-row pages; use /tmp.
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  };
}

function findOnPath(names: readonly string[]): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => d);
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
