/**
 * The public API report: one `etc/api/<entry>.api.md` per package entry (the root and each subpath of
 * package.json `exports`), written by API Extractor from the built declarations in dist/. A change to
 * what the package exports shows up as a diff of these files, reviewed like code.
 *
 * Run after `npm run build`:
 *   npx tsx scripts/api-report.ts           check: exit 1 when an entry's surface differs from its report
 *   npx tsx scripts/api-report.ts --update  rewrite the reports (`npm run api:update`)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig, type IConfigFile } from '@microsoft/api-extractor';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const reportFolder = join(repoRoot, 'etc/api');
const reportTempFolder = join(repoRoot, 'node_modules/.cache/api-report');
const update = process.argv.includes('--update');

/** Entry name (report file name) and its built declaration file, from package.json `exports`. */
function packageEntries(): Array<{ name: string; types: string }> {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { types?: string }>;
  };
  return Object.entries(pkg.exports).flatMap(([subpath, target]) => {
    if (typeof target === 'string' || !target.types) return [];
    return [{ name: subpath === '.' ? 'pie-audit' : `pie-audit-${subpath.slice(2)}`, types: join(repoRoot, target.types) }];
  });
}

function configFor(name: string, types: string): IConfigFile {
  return {
    projectFolder: repoRoot,
    mainEntryPointFilePath: types,
    compiler: { tsconfigFilePath: join(repoRoot, 'tsconfig.json') },
    apiReport: { enabled: true, reportFileName: `${name}.api.md`, reportFolder, reportTempFolder },
    docModel: { enabled: false },
    dtsRollup: { enabled: false },
    tsdocMetadata: { enabled: false },
    messages: {
      compilerMessageReporting: { default: { logLevel: 'warning' } },
      extractorMessageReporting: {
        default: { logLevel: 'none' },
        // A type an entry uses but does not export (e.g. AuditReport in the report subpath) is exported by the root.
        'ae-forgotten-export': { logLevel: 'none', addToApiReportFile: false },
      },
      tsdocMessageReporting: { default: { logLevel: 'none' } },
    },
  };
}

mkdirSync(reportFolder, { recursive: true });
let changed = 0;
for (const { name, types } of packageEntries()) {
  if (!existsSync(types)) {
    console.error(`api-report: ${types} is missing; run npm run build first`);
    process.exit(2);
  }
  const config = ExtractorConfig.prepare({
    configObject: configFor(name, types),
    configObjectFullPath: join(repoRoot, 'api-extractor.json'),
    packageJsonFullPath: join(repoRoot, 'package.json'),
  });
  const result = Extractor.invoke(config, { localBuild: update, showVerboseMessages: false });
  if (result.apiReportChanged) changed++;
  if (!result.succeeded && !(update && result.apiReportChanged && result.errorCount === 0)) {
    console.error(`api-report: ${name}: ${result.errorCount} errors, ${result.warningCount} warnings`);
    if (!update) changed += result.apiReportChanged ? 0 : 1;
  }
  console.log(`api-report: ${name} ${result.apiReportChanged ? (update ? 'updated' : 'DIFFERS') : 'unchanged'}`);
  if (result.apiReportChanged && !update) {
    // What changed, in the CI log: the committed report against the one just generated.
    const diff = spawnSync('diff', ['-u', join(reportFolder, `${name}.api.md`), join(reportTempFolder, `${name}.api.md`)], {
      encoding: 'utf8',
    });
    console.log(diff.stdout.split('\n').slice(0, 200).join('\n'));
  }
}
if (changed > 0 && !update) {
  console.error(`api-report: the public API differs from etc/api/*.api.md in ${changed} entr${changed === 1 ? 'y' : 'ies'}.`);
  console.error('If the change is intended, run `npm run build && npm run api:update` and commit etc/api/.');
  process.exit(1);
}
