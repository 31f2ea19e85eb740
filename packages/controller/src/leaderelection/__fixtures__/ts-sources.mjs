// Lets a child process run the TypeScript sources as the tests do (vitest's aliases, `.js`
// imports of `.ts` files), with Node's own type stripping: `node --experimental-transform-types
// --import ./ts-sources.mjs file.ts`. For test fixtures that must be separate processes.
import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = new URL('../../../../../', import.meta.url);
const aliases = {
  '@kates/core': 'packages/core/src/index.ts',
  '@kates/core/browser': 'packages/core/src/browser.ts',
  '@kates/core/internal': 'packages/core/src/internal.ts',
  '@kates/testing': 'packages/testing/src/index.ts',
  '@kates/controller': 'packages/controller/src/index.ts',
};

registerHooks({
  resolve(specifier, context, next) {
    const alias = aliases[specifier];
    if (alias) return { url: new URL(alias, root).href, shortCircuit: true };
    if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
      const ts = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
      if (existsSync(fileURLToPath(ts))) return { url: ts.href, shortCircuit: true };
    }
    return next(specifier, context);
  },
});
