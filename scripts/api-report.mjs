// API reports (api/*.api.md) of every entry of every published package, made by API Extractor
// from the built declarations (run `tsc -b` first). The entries are read from each package.json's
// exports map, so a new entry or package is reported without editing this file.
//
//   node scripts/api-report.mjs          check: fails if a report differs from the surface, if an
//                                        entry has no report, or a report no entry (CI)
//   node scripts/api-report.mjs --local  update the reports (commit the change with the code)
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { entriesOf, publishedPackages, root } from './entries.mjs';

const local = process.argv.includes('--local');
const reportFolder = join(root, 'api');
const base = ExtractorConfig.loadFile(join(reportFolder, 'api-extractor.json'));
// Type-checks each entry's declarations as a consumer's NodeNext project would.
const compilerOptions = {
  target: 'ES2023',
  lib: ['ES2023', 'DOM', 'DOM.Iterable'],
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  jsx: 'react-jsx',
  types: ['node'],
  strict: true,
  skipLibCheck: true,
};

const failures = [];
const reports = new Set();
for (const pkg of publishedPackages()) {
  for (const entry of entriesOf(pkg)) {
    reports.add(`${entry.reportName}.api.md`);
    if (!existsSync(entry.dts)) {
      failures.push(`${entry.specifier}: ${entry.dts} does not exist (run tsc -b first)`);
      continue;
    }
    // An entry documented as @internal (core's) uses types the package's public entries export;
    // its report would only list them again as forgotten.
    const internal = /@internal\b/.test(readFileSync(entry.dts, 'utf8').split('*/')[0] ?? '');
    const messages = internal
      ? {
          ...base.messages,
          extractorMessageReporting: {
            ...base.messages.extractorMessageReporting,
            'ae-forgotten-export': { logLevel: 'none', addToApiReportFile: false },
          },
        }
      : base.messages;
    const config = ExtractorConfig.prepare({
      configObject: {
        ...base,
        messages,
        projectFolder: pkg.dir,
        mainEntryPointFilePath: entry.dts,
        apiReport: { ...base.apiReport, reportFileName: entry.reportName },
        compiler: { overrideTsconfig: { compilerOptions, files: [entry.dts] } },
      },
      configObjectFullPath: join(reportFolder, 'api-extractor.json'),
      packageJsonFullPath: join(pkg.dir, 'package.json'),
    });
    mkdirSync(config.reportTempFolder, { recursive: true });
    const result = Extractor.invoke(config, {
      localBuild: local,
      showVerboseMessages: false,
      messageCallback: (message) => {
        // @reduxjs/toolkit's declarations import a .ts file of its own (uncheckedindexed.ts), which
        // API Extractor takes for a source file; a third party's file is not ours to report.
        if (
          message.messageId === 'ae-wrong-input-file-type' &&
          /[\\/]node_modules[\\/]/.test(message.sourceFilePath ?? '')
        ) {
          message.logLevel = 'none';
        }
        // API Extractor's own console lines (report created, changed) are summed up below.
        if (message.category === 'console') message.handled = true;
        if (message.handled || message.logLevel === 'none' || message.logLevel === 'verbose') return;
        message.handled = true;
        console.log(`${entry.specifier}: ${message.logLevel}: ${message.formatMessageWithLocation(pkg.dir)}`);
      },
    });
    const state = result.apiReportChanged ? (local ? 'updated' : 'DIFFERS') : 'unchanged';
    console.log(`${entry.specifier.padEnd(26)} api/${entry.reportName}.api.md ${state}`);
    if (result.errorCount > 0 || (!local && !result.succeeded)) {
      failures.push(
        result.errorCount === 0 && result.apiReportChanged
          ? `${entry.specifier}: the surface differs from api/${entry.reportName}.api.md; run \`npm run api:update\` and commit the report`
          : `${entry.specifier}: ${result.errorCount} errors, ${result.warningCount} warnings`,
      );
    }
  }
}

// A report whose entry is gone (a removed subpath, a renamed package) is stale.
for (const file of readdirSync(reportFolder).filter((f) => f.endsWith('.api.md') && !reports.has(f))) {
  if (local) {
    rmSync(join(reportFolder, file));
    console.log(`api/${file} removed: no package entry has it any more`);
  } else failures.push(`api/${file}: no package entry has it any more; run \`npm run api:update\``);
}

if (failures.length) {
  console.error(`\nAPI report check failed:\n${failures.map((f) => `  ${f}`).join('\n')}`);
  process.exit(1);
}
