// Counts the names each package entry exports, runtime (a value: function, class, constant,
// namespace) and type-only (interface, type alias, or a class exported with `export type`), with
// the TypeScript compiler's own view of the module: the exports of the entry's source file as a
// consumer sees them. `node scripts/count-exports.mjs [--names]`.
import ts from 'typescript';
import { entriesOf, publishedPackages } from './entries.mjs';

const showNames = process.argv.includes('--names');
const entries = publishedPackages().flatMap((pkg) => entriesOf(pkg));
const configPath = ts.findConfigFile(process.cwd(), ts.sys.fileExists, 'tsconfig.base.json');
const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
const { options } = ts.parseJsonConfigFileContent(config, ts.sys, process.cwd());
const program = ts.createProgram(entries.map((e) => e.source).filter(Boolean), {
  ...options,
  noEmit: true,
  composite: false,
  declaration: false,
});
const checker = program.getTypeChecker();

let total = { runtime: 0, type: 0 };
for (const entry of entries) {
  if (!entry.source) {
    console.log(`${entry.specifier}: no source file for ${entry.dts}`);
    continue;
  }
  const file = program.getSourceFile(entry.source);
  const moduleSymbol = checker.getSymbolAtLocation(file);
  const runtime = [];
  const types = [];
  for (const symbol of moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : []) {
    const typeOnly = checker.getTypeOnlyAliasDeclaration?.(symbol) !== undefined;
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    (!typeOnly && target.flags & ts.SymbolFlags.Value ? runtime : types).push(symbol.name);
  }
  total = { runtime: total.runtime + runtime.length, type: total.type + types.length };
  console.log(
    `${entry.specifier.padEnd(24)} ${String(runtime.length + types.length).padStart(4)} names: ` +
      `${String(runtime.length).padStart(3)} runtime, ${String(types.length).padStart(3)} type-only`,
  );
  if (showNames) {
    console.log(`  runtime: ${runtime.sort().join(', ')}`);
    console.log(`  types:   ${types.sort().join(', ')}`);
  }
}
console.log(
  `${'all entries'.padEnd(24)} ${String(total.runtime + total.type).padStart(4)} names: ${String(total.runtime).padStart(3)} runtime, ${String(total.type).padStart(3)} type-only`,
);
