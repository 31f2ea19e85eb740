import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** Where a prebuilt page sits beside the compiled inspector (`dist/web`), for installs without sources. */
export const PREBUILT_PAGE = here('./web');

/**
 * The folder of the inspector's built page: the prebuilt one if there is one, else a fresh build
 * (Vite, from the sources of this repository, into a temporary folder; a few seconds).
 * @throws Error saying what to install or build when neither is possible.
 */
export async function inspectorPage(options: { outDir?: string; rebuild?: boolean } = {}): Promise<string> {
  if (!options.rebuild && !options.outDir && existsSync(join(PREBUILT_PAGE, 'index.html')))
    return PREBUILT_PAGE;
  // From src or dist alike, the package root is one folder up, and the other packages beside it.
  const root = here('../');
  const page = join(root, 'src/page');
  const core = here('../../core/src/browser.ts');
  const react = here('../../react/src/index.ts');
  if (!existsSync(join(page, 'index.html')) || !existsSync(core) || !existsSync(react)) {
    throw new Error(
      `the inspector page is not built (${PREBUILT_PAGE} is missing) and its sources are not here to ` +
        'build it: reinstall @kates/inspector, or run `kates inspect` from a checkout of kates',
    );
  }
  let vite: typeof import('vite');
  let reactPlugin: typeof import('@vitejs/plugin-react');
  try {
    vite = await import('vite');
    reactPlugin = await import('@vitejs/plugin-react');
  } catch (e) {
    throw new Error(
      `building the inspector page needs vite and @vitejs/plugin-react: npm install -D vite @vitejs/plugin-react (${
        (e as Error).message
      })`,
    );
  }
  const outDir = options.outDir ?? mkdtempSync(join(tmpdir(), 'kates-inspector-'));
  await vite.build({
    configFile: false,
    root: page,
    base: './',
    logLevel: 'warn',
    plugins: [reactPlugin.default()],
    resolve: {
      alias: [
        { find: /^@kates\/core\/browser$/, replacement: core },
        { find: /^@kates\/react$/, replacement: react },
      ],
    },
    build: { outDir, emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 2000 },
  });
  return outDir;
}
