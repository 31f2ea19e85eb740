import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

const allTests = [
  'packages/*/src/**/*.test.{ts,tsx}',
  'examples/*/src/**/*.test.{ts,tsx}',
  'bench/src/**/*.test.ts',
];

/**
 * Which test file runs in which project is said by its name: `*.cluster.test.ts` needs the real
 * API server (`realCluster()`, `testTarget()`, `startCluster()`) or another binary built from Go
 * modules (`ensureKubectl()`); `*.e2e.test.ts` drives an outside program (Chromium, the Redux
 * DevTools server); `*.scale.test.ts` holds 100k objects in memory (tens of CPU-seconds). All three
 * are `integration`; every other test file is `unit`.
 * packages/testing/src/vitest/test-projects.test.ts checks that names and imports agree.
 */
const integrationTests = [
  '{packages,examples}/*/src/**/*.{cluster,e2e,scale}.test.{ts,tsx}',
  'bench/src/**/*.{cluster,e2e,scale}.test.ts',
];

export default defineConfig({
  resolve: {
    // Tests run on the sources, so a change is tested without a build.
    alias: {
      '@kates/core/browser': src('./packages/core/src/browser.ts'),
      '@kates/core/internal': src('./packages/core/src/internal.ts'),
      '@kates/core': src('./packages/core/src/index.ts'),
      '@kates/testing': src('./packages/testing/src/index.ts'),
      '@kates/controller': src('./packages/controller/src/index.ts'),
      '@kates/proxy': src('./packages/proxy/src/index.ts'),
      '@kates/react': src('./packages/react/src/index.ts'),
    },
  },
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // No globalSetup here: the root of a config with projects always runs its own, which would
    // start the API server for the unit project too.
    projects: [
      {
        extends: true,
        test: {
          // `npm run test:unit`: no API server, no browser, nothing installed or built.
          name: 'unit',
          include: allTests,
          exclude: [...configDefaults.exclude, '**/*.{cluster,e2e,scale}.test.{ts,tsx}'],
          // A worker thread per file costs less than a process per file: a quarter less CPU for
          // the unit files (93 against 122 CPU-seconds for 111 files), for test:unit's minute.
          pool: 'threads',
          provide: { katesUnitProject: true },
          typecheck: {
            enabled: true,
            include: ['packages/*/src/**/*.test-d.ts'],
            tsconfig: './tsconfig.test.json',
          },
        },
      },
      {
        extends: true,
        test: {
          // With `unit`, the full `npm test`. Prepared in this order, so that what fails fast
          // fails before the long part: Chromium (unpacked from npm on a first run), the Redux
          // DevTools server (installed on a first run), then the real kube-apiserver and etcd
          // (built from Go modules on a first run, then started once for the whole run).
          name: 'integration',
          include: integrationTests,
          globalSetup: [
            './packages/testing/src/vitest/chromium-setup.ts',
            './packages/testing/src/vitest/devtools-setup.ts',
            './packages/testing/src/vitest/global-setup.ts',
          ],
        },
      },
    ],
  },
});
