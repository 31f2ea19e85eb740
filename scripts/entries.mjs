// The published packages and their entry points, read from each package.json's `exports` map, so a
// new entry (or a new package under packages/) is picked up by every script that checks them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every non-private package under packages/, with its directory and parsed package.json. */
export function publishedPackages() {
  const dir = join(root, 'packages');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'package.json')))
    .map((d) => {
      const path = join(dir, d.name);
      return { dir: path, json: JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) };
    })
    .filter((p) => !p.json.private)
    .sort((a, b) => a.json.name.localeCompare(b.json.name));
}

/**
 * The entries of a package's exports map: the subpath ('.', './browser'), the specifier a user
 * imports, the built declaration file, and the source file it is compiled from (dist/x.d.ts is
 * built from src/x.ts or src/x.tsx: rootDir src, outDir dist in every package's tsconfig).
 */
export function entriesOf(pkg) {
  const exportsMap = pkg.json.exports ?? {};
  return Object.entries(exportsMap)
    .filter(([subpath]) => subpath !== './package.json')
    .map(([subpath, target]) => {
      const types = typeof target === 'string' ? target.replace(/\.js$/, '.d.ts') : target.types;
      if (!types) throw new Error(`${pkg.json.name}: exports["${subpath}"] has no "types" condition`);
      const dts = join(pkg.dir, types);
      const stem = relative(join(pkg.dir, 'dist'), dts).replace(/\.d\.ts$/, '');
      const source = ['.ts', '.tsx']
        .map((ext) => join(pkg.dir, 'src', stem + ext))
        .find((f) => existsSync(f));
      return {
        subpath,
        specifier: subpath === '.' ? pkg.json.name : `${pkg.json.name}/${subpath.slice(2)}`,
        dts,
        source,
        // A file name for the entry's report: core.api.md, core-browser.api.md.
        reportName: [pkg.json.name.split('/').pop(), ...subpath.slice(2).split('/').filter(Boolean)].join(
          '-',
        ),
      };
    });
}
