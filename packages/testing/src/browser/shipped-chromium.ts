import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';

/** The npm package whose tarball carries a Chromium binary (brotli-compressed, unpacked at first use). */
export const SHIPPED_CHROMIUM_PACKAGE = '@sparticuz/chromium';

/** A Chromium unpacked from {@link SHIPPED_CHROMIUM_PACKAGE}, and what it needs to run. */
export interface ShippedChromium {
  readonly executablePath: string;
  /** The package version, which names the cache directory. */
  readonly version: string;
  /** Environment the browser needs: its own NSS/expat libraries and fonts. */
  readonly env: Readonly<Record<string, string>>;
  /** Milliseconds spent unpacking (0 when the cache already held it). */
  readonly unpackMs: number;
}

/**
 * Unpacks the Chromium of {@link SHIPPED_CHROMIUM_PACKAGE} once per machine into
 * `~/.cache/kates/chromium-<version>` (or `$KATES_CHROMIUM_CACHE/chromium-<version>`).
 *
 * The package's own `executablePath()` is not used: it unpacks into the shared `/tmp/chromium`
 * without a version in the name and without a lock, so parallel test files (vitest forks) can be
 * handed a half-written binary, and a stale one of another version is reused. Here each caller
 * unpacks into its own staging directory and renames it into place, which is atomic: the first
 * rename wins and the others drop their copy.
 *
 * The binary is Chromium's headless shell built for Amazon Linux; on other glibc Linuxes it needs
 * only libc and libgcc_s besides the NSS, NSPR and expat libraries the package ships
 * (`al2023.tar.br`), which `env.LD_LIBRARY_PATH` points at, so no system package is needed.
 */
export async function unpackShippedChromium(): Promise<ShippedChromium> {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve(SHIPPED_CHROMIUM_PACKAGE);
  } catch {
    throw new Error(
      `no Chromium found: ${SHIPPED_CHROMIUM_PACKAGE} is not installed (run npm install at the repository root), ` +
        'and no system Chromium is on PATH; or set CHROMIUM to a Chromium or Chrome binary',
    );
  }
  // build/index.js -> the package root, whose bin/ holds the brotli archives.
  const root = dirname(dirname(entry));
  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `${SHIPPED_CHROMIUM_PACKAGE} ships a Chromium for linux-x64 only (this is ${process.platform}-${process.arch}): ` +
        'install Chromium or Chrome, or set CHROMIUM to its binary',
    );
  }
  const cache = process.env.KATES_CHROMIUM_CACHE ?? join(homedir(), '.cache', 'kates');
  const dir = join(cache, `chromium-${version}`);
  const started = Date.now();
  let unpacked = false;
  if (!(await exists(join(dir, 'chromium')))) {
    await mkdir(cache, { recursive: true });
    const staging = `${dir}.staging-${process.pid}-${Date.now()}`;
    try {
      await unpackInto(entry, join(root, 'bin'), staging, dir);
      try {
        await rename(staging, dir);
        unpacked = true;
      } catch (e) {
        // Another process renamed its copy first: use that one.
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
      }
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
  return {
    executablePath: join(dir, 'chromium'),
    version,
    env: {
      LD_LIBRARY_PATH: [join(dir, 'al2023', 'lib'), process.env.LD_LIBRARY_PATH].filter((p) => p).join(':'),
      FONTCONFIG_FILE: join(dir, 'fonts.conf'),
    },
    unpackMs: unpacked ? Date.now() - started : 0,
  };
}

/** Unpacks the package's archives into `out` (renamed to `final` afterwards), laid out as the binary expects. */
async function unpackInto(entry: string, bin: string, out: string, final: string): Promise<void> {
  // tar-fs is the package's own dependency (it unpacks these archives with it), resolved from there.
  const tar = createRequire(entry)('tar-fs') as { extract(dir: string): NodeJS.WritableStream };
  const untar = (archive: string, to: string) =>
    pipeline(createReadStream(join(bin, archive)), createBrotliDecompress(), tar.extract(to));
  await mkdir(out, { recursive: true });
  const executable = join(out, 'chromium');
  await pipeline(
    createReadStream(join(bin, 'chromium.br')),
    createBrotliDecompress(),
    createWriteStream(executable),
  );
  await chmod(executable, 0o755);
  // SwiftShader's GL libraries are looked up beside the binary; NSS/expat go to LD_LIBRARY_PATH.
  await untar('swiftshader.tar.br', out);
  await untar('al2023.tar.br', join(out, 'al2023'));
  await untar('fonts.tar.br', join(out, 'fonts'));
  // The package's fonts.conf names /tmp/fonts; this one names the Open Sans unpacked here, which
  // is all a fresh machine has, then the system's fonts where there are any (Open Sans has no
  // symbols such as ◀ ▶; fontconfig skips a directory that does not exist).
  await writeFile(
    join(out, 'fonts.conf'),
    [
      '<?xml version="1.0"?>',
      '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
      '<fontconfig>',
      `  <dir>${join(final, 'fonts', 'fonts')}</dir>`,
      '  <dir>/usr/share/fonts</dir>',
      '  <dir>/usr/local/share/fonts</dir>',
      `  <cachedir>${join(final, 'fontconfig-cache')}</cachedir>`,
      '</fontconfig>',
      '',
    ].join('\n'),
  );
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
