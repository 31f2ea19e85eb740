#!/usr/bin/env node
// `kates`, as npm links it. This file is in the repository, so npm links it when a fresh clone
// runs `npm install`, before `npm run build` has written dist/ (npm links no bin whose file is
// missing, and `npx kates` then says "could not determine executable to run"). The CLI is dist/cli.js.
let cli;
try {
  cli = await import('../dist/cli.js');
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes('cli.js')) throw e;
  console.error(
    'kates: @kates/inspector is not built: run `npm run build` at the root of the repository first',
  );
  process.exit(1);
}
const code = await cli.main(process.argv.slice(2));
if (code !== 0) process.exit(code);
