// The packages as a user gets them: `npm pack` each published package, check what the tarballs
// hold (every exported file, LICENSE, NOTICE, CHANGELOG, no stale build output, every import
// declared), lint them with publint and are-the-types-wrong, install them into a fresh project
// outside the workspace (the tarballs, plus their dependencies from the registry), and there:
// type-check the README's quick start and a runnable copy of it (ESM, NodeNext), run that copy
// against @kates/testing's in-memory API server, type-check a browser page (bundler resolution,
// no Node types) and build it with Vite, failing on any Node built-in reachable from
// `@kates/core/browser` or `@kates/react`.
//
//   node scripts/consumer-test.mjs [--keep] [--readme=path]
//     after `tsc -b`; --keep leaves the project in the temporary folder; --readme type-checks the
//     quick start of another README (a draft) instead of README.md.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { entriesOf, publishedPackages, root } from './entries.mjs';

const keep = process.argv.includes('--keep');
const readmePath =
  process.argv.find((a) => a.startsWith('--readme='))?.slice('--readme='.length) ?? join(root, 'README.md');
const started = performance.now();
const work = mkdtempSync(join(tmpdir(), 'kates-consumer-'));
const tarballDir = join(work, 'tarballs');
const project = join(work, 'project');
mkdirSync(tarballDir);
mkdirSync(project);

// The child npm must see a plain project, not the workspace an npm script runs in.
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => !/^npm_/i.test(k) || /^npm_config_(cache|registry|userconfig|globalconfig)$/i.test(k),
  ),
);
delete env.INIT_CWD;

/** Runs a command; on failure throws with its output, so the step that ran it fails. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', env, maxBuffer: 64 << 20, ...options });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status ?? result.signal}:\n${output}`);
  }
  return output;
}
/** A package's own CLI (bin), run on the Node that runs this script. */
function bin(pkg, name = pkg) {
  const dir = join(root, 'node_modules', pkg);
  const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return join(dir, typeof json.bin === 'string' ? json.bin : json.bin[name]);
}

let failed = false;
async function step(name, fn) {
  if (failed) return undefined;
  const t0 = performance.now();
  try {
    const result = await fn();
    console.log(`ok   ${name} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    return result;
  } catch (error) {
    failed = true;
    console.log(`FAIL ${name} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n${indent(error.message)}`);
    return undefined;
  }
}
const indent = (text) => text.replace(/^/gm, '     ');
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

const packages = publishedPackages();

// 1. Pack.
const packed = await step(`npm pack ${packages.map((p) => p.json.name).join(' ')}`, () =>
  packages.map((pkg) => {
    const [info] = JSON.parse(
      run('npm', ['pack', '--json', '--pack-destination', tarballDir], { cwd: pkg.dir }),
    );
    return { pkg, info, tarball: join(tarballDir, info.filename) };
  }),
);
if (packed) {
  for (const { pkg, info } of packed) {
    console.log(
      `     ${pkg.json.name.padEnd(20)} ${info.filename.padEnd(30)} ${kib(info.size).padStart(10)} packed, ` +
        `${kib(info.unpackedSize).padStart(10)} unpacked, ${info.entryCount} files`,
    );
  }
}

// 2. What the tarballs hold.
await step(
  'tarball contents: exported files, LICENSE/NOTICE/CHANGELOG, no stale output, imports declared',
  () => {
    const problems = packed.flatMap(({ pkg, info }) =>
      contentProblems(pkg, new Set(info.files.map((f) => f.path))),
    );
    if (problems.length) throw new Error(problems.join('\n'));
  },
);

function contentProblems(pkg, files) {
  const name = pkg.json.name;
  const problems = [];
  for (const f of ['package.json', 'LICENSE', 'NOTICE', 'CHANGELOG.md']) {
    if (!files.has(f)) problems.push(`${name}: ${f} is not in the tarball (add it to "files")`);
  }
  for (const f of ['LICENSE', 'NOTICE']) {
    const mine = join(pkg.dir, f);
    if (existsSync(mine) && readFileSync(mine, 'utf8') !== readFileSync(join(root, f), 'utf8')) {
      problems.push(`${name}: ${f} differs from the repository's ${f} (copy it again)`);
    }
  }
  // Every file the manifest points at.
  const targets = [];
  const collect = (where, value) => {
    if (typeof value === 'string') targets.push([where, value]);
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) collect(`${where}[${JSON.stringify(k)}]`, v);
    }
  };
  collect('exports', pkg.json.exports);
  collect('bin', pkg.json.bin);
  for (const field of ['main', 'types', 'module']) collect(field, pkg.json[field]);
  for (const [where, target] of targets) {
    if (!files.has(target.replace(/^\.\//, '')))
      problems.push(`${name}: ${where} → ${target} is not in the tarball`);
  }
  // Build output whose source is gone (a moved or deleted module) would ship and be importable.
  for (const f of files) {
    const m = /^dist\/(.+)\.js$/.exec(f);
    if (m && !['.ts', '.tsx'].some((ext) => existsSync(join(pkg.dir, 'src', m[1] + ext)))) {
      problems.push(`${name}: ${f} has no source in src/ (stale build output: delete dist and run tsc -b)`);
    }
  }
  // Every package an entry reaches (its .js and .d.ts, following relative imports) is declared.
  const declared = new Set([
    name,
    ...Object.keys(pkg.json.dependencies ?? {}),
    ...Object.keys(pkg.json.peerDependencies ?? {}),
  ]);
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const seen = new Set();
  const queue = entriesOf(pkg).flatMap((e) => {
    const target = pkg.json.exports[e.subpath];
    return [target.default ?? target, target.types].filter((t) => typeof t === 'string');
  });
  while (queue.length) {
    const file = queue.pop().replace(/^\.\//, '');
    if (seen.has(file) || !files.has(file)) continue;
    seen.add(file);
    const info = ts.preProcessFile(readFileSync(join(pkg.dir, file), 'utf8'), true, true);
    for (const { fileName: spec } of [...info.importedFiles, ...info.typeReferenceDirectives]) {
      if (spec.startsWith('.')) {
        const base = join(dirname(file), spec).replace(/\\/g, '/');
        queue.push(base, base.replace(/\.js$/, '.d.ts'));
        continue;
      }
      if (builtins.has(spec)) continue;
      const bare = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      // A .d.ts referencing node's types is covered by @types/node, which a Node user has.
      if (bare === 'node' || declared.has(bare) || declared.has(`@types/${bare}`)) continue;
      problems.push(`${name}: ${file} imports "${spec}", which package.json does not declare`);
    }
  }
  return problems;
}

// 3. publint and are-the-types-wrong, on the very tarballs.
await step('publint --strict (every package)', () => {
  for (const { pkg, tarball } of packed) {
    const out = run(process.execPath, [bin('publint'), 'run', tarball, '--strict', '--level', 'suggestion']);
    const said = out.split('\n').filter((l) => !/^(Running publint|Unpacking tarball|Linting\.\.\.)/.test(l));
    console.log(`     ${pkg.json.name}: ${said.join(' ')}`);
  }
});
// esm-only: the packages are ESM; `require()` from CommonJS and node10 resolution (no exports
// map) are not supported, so only Node's ESM resolution and bundlers' are held to it.
await step('attw --profile esm-only (every package)', () => {
  for (const { pkg, tarball } of packed) {
    run(process.execPath, [
      bin('@arethetypeswrong/cli', 'attw'),
      tarball,
      '--profile',
      'esm-only',
      '--format',
      'ascii',
      '--no-color',
    ]);
    console.log(`     ${pkg.json.name}: no problems (node16 from ESM, bundler)`);
  }
});

// 4. A fresh project outside the workspace.
await step(`npm install the tarballs into ${project}`, () => {
  const deps = Object.fromEntries(
    packed.map(({ pkg, tarball }) => [pkg.json.name, `file:${relative(project, tarball)}`]),
  );
  const rootJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const manifest = {
    name: 'kates-consumer',
    private: true,
    type: 'module',
    dependencies: { ...deps, react: '^19.0.0', 'react-dom': '^19.0.0' },
    devDependencies: {
      '@types/node': rootJson.devDependencies['@types/node'],
      '@types/react': '^19.0.0',
      '@types/react-dom': '^19.0.0',
      // @kubernetes/client-node's declarations import "ws" (through isomorphic-ws), which has no
      // types of its own: a project that checks declaration files needs these.
      '@types/ws': '^8.0.0',
    },
    // The packages' ranges on each other resolve to these tarballs, never to the registry.
    overrides: Object.fromEntries(Object.keys(deps).map((n) => [n, `$${n}`])),
  };
  writeFileSync(join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  cpSync(join(root, 'scripts/consumer/node'), join(project, 'node'), { recursive: true });
  cpSync(join(root, 'scripts/consumer/web'), join(project, 'web'), { recursive: true });
  writeFileSync(join(project, 'node/readme-quick-start.ts'), readmeQuickStart());
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: project,
  });
});

/** The README's "Quick start" block as it stands, with its two free names declared. */
function readmeQuickStart() {
  const readme = readFileSync(readmePath, 'utf8');
  const block = /## Quick start\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error(`${readmePath} has no "## Quick start" section with a \`\`\`ts block`);
  return (
    `${block}\n` +
    '// Added by scripts/consumer-test.mjs: the names the README leaves to the reader. Type-checked, not run.\n' +
    "declare const manifest: import('@kates/core').KubernetesObject;\n" +
    'declare function reconcile(snapshot: object): Promise<void>;\n'
  );
}

const tsc = join(root, 'node_modules/typescript/bin/tsc');
await step("type-check the README's quick start and quick-start.ts (module NodeNext, skipLibCheck off)", () =>
  run(process.execPath, [tsc, '-p', 'node/tsconfig.json'], { cwd: project }),
);
await step('run quick-start.js against startFakeApiServer()', () => {
  const out = run(process.execPath, ['node/dist/quick-start.js'], { cwd: project, timeout: 120_000 });
  console.log(indent(out));
});
await step('type-check the browser page (moduleResolution Bundler, DOM, no Node types)', () =>
  run(process.execPath, [tsc, '-p', 'web/tsconfig.json'], { cwd: project }),
);
await step('vite build of @kates/core/browser + @kates/react (fails on a Node built-in)', async () => {
  const { build } = await import('vite');
  const { default: react } = await import('@vitejs/plugin-react');
  const outDir = join(project, 'web/dist');
  await build({
    root: join(project, 'web'),
    configFile: false,
    logLevel: 'warn',
    plugins: [react(), noNodeBuiltins()],
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  });
  const assets = join(outDir, 'assets');
  const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
  console.log(indent(js.map((f) => `${f}: ${kib(statSync(join(assets, f)).size)}`).join('\n')));
});

/** Fails the build where anything imports a Node built-in: a browser has none. */
function noNodeBuiltins() {
  const builtins = new Set(builtinModules);
  return {
    name: 'kates-consumer:no-node-builtins',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source.startsWith('node:') || builtins.has(source.split('/')[0])) {
        this.error(
          `${importer ? relative(project, importer) : 'the page'} imports "${source}", a Node built-in`,
        );
      }
      return null;
    },
  };
}

const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (keep || failed) console.log(`project kept in ${work}`);
else rmSync(work, { recursive: true, force: true });
console.log(`${failed ? 'consumer test FAILED' : 'consumer test passed'} in ${seconds} s`);
process.exit(failed ? 1 : 0);
