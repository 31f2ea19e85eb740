import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run on the sources, so a change is tested without a build.
    alias: {
      '@kates/core/browser': src('./packages/core/src/browser.ts'),
      '@kates/core': src('./packages/core/src/index.ts'),
      '@kates/testing': src('./packages/testing/src/index.ts'),
      '@kates/controller': src('./packages/controller/src/index.ts'),
      '@kates/react/proxy': src('./packages/react/src/proxy/index.ts'),
      '@kates/react': src('./packages/react/src/index.ts'),
    },
  },
  test: {
    include: [
      'packages/*/src/**/*.test.{ts,tsx}',
      'examples/*/src/**/*.test.{ts,tsx}',
      'bench/src/**/*.test.ts',
    ],
    globalSetup: ['./packages/testing/src/vitest/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    typecheck: {
      enabled: true,
      include: ['packages/*/src/**/*.test-d.ts'],
      tsconfig: './tsconfig.test.json',
    },
  },
});
