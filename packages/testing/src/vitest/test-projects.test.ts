import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * What puts a test file in the `integration` project (vitest.config.ts): a call, in the file or in
 * a module it imports by relative path, of one of these. Definitions (`function realCluster(`) and
 * comments do not count. Imports through a package name (`@kates/testing`) are barrels and are not
 * followed; their calls are found in the test file itself.
 */
const NEEDS = {
  // The real API server, or a binary built from Go modules as it is (minutes on a first run).
  cluster:
    /(?<!function )\b(realCluster|startCluster|testTarget|ensureClusterBinaries|ensureKubectl|ensureProtobufTranscoder)\(/,
  // Chromium through Playwright, or the Redux DevTools server.
  program: /(?<!function )\b(launchPersistentContext|chromium\.launch|startDevToolsServer)\(/,
} as const;
type Need = keyof typeof NEEDS;

function testFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) testFiles(path, out);
    else if (/\.test\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

function relativeImports(file: string, source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/(?:from|import\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const base = resolve(dirname(file), m[1]!).replace(/\.js$/, '');
    const hit = ['.ts', '.tsx', '/index.ts'].map((ext) => base + ext).find((p) => existsSync(p));
    if (hit) found.push(hit);
  }
  return found;
}

/** For each need, the chain of modules from `file` to the first call found, or nothing. */
function needsOf(file: string): Partial<Record<Need, string[]>> {
  const result: Partial<Record<Need, string[]>> = {};
  const seen = new Set<string>();
  const visit = (path: string, chain: string[]) => {
    if (seen.has(path)) return;
    seen.add(path);
    const source = withoutComments(readFileSync(path, 'utf8'));
    const here = [...chain, relative(repo, path)];
    for (const need of Object.keys(NEEDS) as Need[]) {
      if (!result[need] && NEEDS[need].test(source)) result[need] = here;
    }
    for (const next of relativeImports(path, source)) visit(next, here);
  };
  visit(file, []);
  return result;
}

describe('the unit and integration test projects', () => {
  const files = ['packages', 'examples', 'bench/src'].flatMap((d) => testFiles(join(repo, d)));

  it('finds the test files of the repository', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('names every test file that reaches the real API server or an outside program for the integration project, and no other', () => {
    const misnamed: string[] = [];
    for (const file of files) {
      const needs = needsOf(file);
      const name = relative(repo, file);
      const isE2e = /\.e2e\.test\.tsx?$/.test(name);
      const isCluster = /\.cluster\.test\.tsx?$/.test(name);
      // A scale test needs nothing outside; it is in the full run for its CPU time alone.
      if (/\.scale\.test\.tsx?$/.test(name) && !needs.program && !needs.cluster) continue;
      if (needs.program && !isE2e)
        misnamed.push(
          `${name} drives an outside program (${needs.program.join(' -> ')}): name it *.e2e.test.ts`,
        );
      else if (needs.cluster && !isE2e && !isCluster)
        misnamed.push(
          `${name} needs the real API server (${needs.cluster.join(' -> ')}): name it *.cluster.test.ts`,
        );
      else if ((isE2e || isCluster) && !needs.program && !needs.cluster)
        misnamed.push(
          `${name} needs neither the API server nor an outside program: drop .cluster/.e2e so test:unit runs it`,
        );
    }
    expect(misnamed).toEqual([]);
  });
});
