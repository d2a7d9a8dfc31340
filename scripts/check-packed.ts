/**
 * Checks the packed package as a user gets it: installs a pie-audit .tgz into an empty project, then
 * 1. runs the installed CLI with no command (help on stderr, exit 2) and checks that every docs path
 *    its help names exists in the installed package;
 * 2. typechecks every TypeScript block of README.md and docs/getting-started.md against the installed
 *    package's own types and runs them as written (test/docs/doc-blocks.ts); each block must be complete
 *    (no name taken from test/docs/fixtures.ts); and typechecks every import of every doc against the entry
 *    (`pie-audit`, `pie-audit/report`, ...) it names;
 * 3. checks that importing the package and each of its subpath entries leaves the user's tfjs as it was;
 * 4. checks that every examples/*.ts file the README and docs name is in the package, and runs
 *    examples/precomputed-predictions.ts and examples/ci-gate.ts as installed (node_modules/pie-audit/examples,
 *    importing 'pie-audit' by name), the second on the first one's report;
 * 5. runs `pie-audit doctor` and `pie-audit --version` from the installed bin.
 *
 * No network: the project's node_modules holds links to this checkout's installed dependencies, and
 * the tarball is unpacked into node_modules/pie-audit (what `npm install <tgz>` puts there).
 *
 * Run: npx tsx scripts/check-packed.ts [pie-audit-x.y.z.tgz]   (packs with `npm pack` when no file is given)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractTsBlocks, namesTakenFromFixtures, writeDocProject } from '../test/docs/doc-blocks.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const project = mkdtempSync(join(tmpdir(), 'pie-audit-packed-'));

function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1', ...env }, timeout: 300_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function fail(message: string): never {
  console.error(`check-packed: FAIL: ${message}`);
  process.exit(1);
}

let tarball = process.argv[2] ? resolve(process.argv[2]) : '';
if (!tarball) {
  const packed = run('npm', ['pack', '--silent', '--pack-destination', project], repoRoot);
  if (packed.status !== 0) fail(`npm pack failed: ${packed.stderr}`);
  tarball = join(project, packed.stdout.trim().split('\n').at(-1)!);
}
if (!existsSync(tarball)) fail(`no tarball at ${tarball}`);

// The installed dependencies, linked; pie-audit itself from the tarball.
const modules = join(project, 'node_modules');
mkdirSync(join(modules, 'pie-audit'), { recursive: true });
const shared = realpathSync(join(repoRoot, 'node_modules'));
for (const entry of readdirSync(shared)) {
  if (entry === 'pie-audit' || entry === '.bin' || entry.startsWith('.')) continue;
  symlinkSync(join(shared, entry), join(modules, entry));
}
const untar = run('tar', ['-xzf', tarball, '-C', join(modules, 'pie-audit'), '--strip-components=1'], project);
if (untar.status !== 0) fail(`tar failed: ${untar.stderr}`);
console.log(`check-packed: ${tarball} unpacked into ${modules}/pie-audit`);

// 1. The CLI's help points to files that exist in the installed package.
const cli = run(process.execPath, [join(modules, 'pie-audit/dist/cli/main.js')], project);
if (cli.status !== 2 || !/Usage:/.test(cli.stderr))
  fail(`pie-audit without a command: exit ${cli.status}, stderr ${cli.stderr.slice(0, 200)}`);
const docs = /^Docs: (.*)$/m.exec(cli.stderr)?.[1].split(', ') ?? [];
if (docs.length === 0) fail('the help names no docs');
for (const path of docs) if (!existsSync(resolve(project, path))) fail(`the help names ${path}, which the installed package lacks`);
console.log(`check-packed: help names ${docs.join(', ')}: all present`);

// 2. Importing the installed package, each of its entries, changes nothing in the user's tfjs ("sideEffects": false).
const installedExports = (JSON.parse(readFileSync(join(modules, 'pie-audit/package.json'), 'utf8')) as { exports: Record<string, unknown> })
  .exports;
const entries = Object.keys(installedExports)
  .filter((subpath) => subpath !== './package.json')
  .map((subpath) => (subpath === '.' ? 'pie-audit' : `pie-audit/${subpath.slice(2)}`));
writeFileSync(
  join(project, 'plain-tfjs.mjs'),
  `import * as tf from '@tensorflow/tfjs';
${entries.map((entry) => `import '${entry}';`).join('\n')}
tf.tidy(() => tf.layers.dense({ units: 2, inputShape: [3] }).apply(tf.zeros([1, 3])));
console.log(JSON.stringify({ backend: tf.getBackend(), wasm: tf.findBackendFactory('wasm') !== null }));
`,
);
const plain = run(process.execPath, [join(project, 'plain-tfjs.mjs')], project);
if (plain.status !== 0 || plain.stdout.trim() !== '{"backend":"cpu","wasm":false}')
  fail(`plain tfjs after importing pie-audit: ${plain.stdout}${plain.stderr}`);
console.log(`check-packed: importing ${entries.join(', ')} leaves tfjs as it was (no wasm backend registered)`);

// 3. The documentation's TypeScript blocks, against the installed types and code.
const markdown = (file: string) => readFileSync(join(modules, 'pie-audit', file), 'utf8');
const incomplete = ['README.md', 'docs/getting-started.md'].flatMap((file) =>
  extractTsBlocks(markdown(file)).flatMap((block, i) => {
    const names = namesTakenFromFixtures(block);
    return names.length > 0 ? [`${file} block ${i + 1} uses ${names.join(', ')} without defining them`] : [];
  }),
);
if (incomplete.length > 0) fail(`documentation blocks are not complete:\n${incomplete.join('\n')}`);
const blocks = writeDocProject(project, [
  { name: 'readme', markdown: markdown('README.md') },
  { name: 'getting-started', markdown: markdown('docs/getting-started.md') },
]);
// Every import of every doc (docs/*.md, README.md), typechecked against the installed entries it names.
const docImports = ['README.md', ...readdirSync(join(modules, 'pie-audit/docs')).map((f) => `docs/${f}`)]
  .filter((file) => file.endsWith('.md'))
  .flatMap((file) => [...markdown(file).matchAll(/import\s+(type\s+)?\{([^}]*)\}\s*from\s*'(pie-audit(?:\/[\w-]+)?)'/g)])
  .map((m, i) => {
    const names = m[2]
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean);
    return `import ${m[1] ?? ''}{ ${names.map((n) => `${n} as doc${i}_${n.replace(/^type\s+/, '')}`).join(', ')} } from '${m[3]}';`;
  });
writeFileSync(join(project, 'doc-imports.ts'), `${docImports.join('\n')}\nexport {};\n`);
const tsc = run(process.execPath, [join(modules, 'typescript/bin/tsc'), '-p', join(project, 'tsconfig.json')], project);
if (tsc.status !== 0) fail(`the documentation's blocks do not typecheck against the installed package:\n${tsc.stdout}${tsc.stderr}`);
console.log(`check-packed: the ${docImports.length} imports of the docs typecheck against the installed entries`);
const ran = run(process.execPath, ['--import', 'tsx', join(project, 'run-blocks.ts'), ...blocks], project, {
  TSX_TSCONFIG_PATH: join(project, 'tsconfig.json'),
});
const results = JSON.parse(ran.stdout.trim().split('\n').at(-1) ?? '[]') as Array<{ file: string; ok: boolean; error?: string }>;
const broken = results.filter((r) => !r.ok);
if (ran.status !== 0 || results.length !== blocks.length || broken.length > 0) {
  fail(`documentation blocks failed:\n${broken.map((r) => `${r.file}: ${r.error}`).join('\n')}${ran.stderr}`);
}
console.log(`check-packed: ${blocks.length} documentation blocks typecheck and run against the installed package`);

// 4. The examples the documentation names ship in the package, and run from it, importing 'pie-audit' by name.
const installed = join(modules, 'pie-audit');
const named = new Set<string>();
for (const file of ['README.md', ...readdirSync(join(installed, 'docs')).map((f) => `docs/${f}`)].filter((f) => f.endsWith('.md')))
  for (const m of markdown(file).matchAll(/examples\/[\w.-]+\.ts/g)) named.add(m[0]);
if (named.size === 0) fail('the documentation names no example');
for (const example of named) if (!existsSync(join(installed, example))) fail(`the documentation names ${example}, which the package lacks`);
console.log(`check-packed: the ${named.size} examples the documentation names are in the package (${[...named].join(', ')})`);
const example = run(
  process.execPath,
  ['--import', 'tsx', join(installed, 'examples/precomputed-predictions.ts'), join(project, 'example-out')],
  project,
);
if (example.status !== 0 || !existsSync(join(project, 'example-out', 'report.json')))
  fail(`examples/precomputed-predictions.ts: exit ${example.status}\n${example.stderr}`);
const gate = run(
  process.execPath,
  ['--import', 'tsx', join(installed, 'examples/ci-gate.ts'), join(project, 'example-out', 'report.json')],
  project,
);
if (gate.status !== 0) fail(`examples/ci-gate.ts on the example's report: exit ${gate.status}\n${gate.stdout}${gate.stderr}`);
console.log('check-packed: examples/precomputed-predictions.ts and examples/ci-gate.ts run from the installed package');

// 5. What runs here, from the installed bin.
const doctor = run(process.execPath, [join(installed, 'dist/cli/main.js'), 'doctor'], project);
if (doctor.status !== 0 || !/ms per 1,000 examples/.test(doctor.stdout))
  fail(`pie-audit doctor: exit ${doctor.status}\n${doctor.stdout}${doctor.stderr}`);
const version = run(process.execPath, [join(installed, 'dist/cli/main.js'), '--version'], project);
if (version.status !== 0 || !/^\d+\.\d+\.\d+\nruntimes: /.test(version.stdout))
  fail(`pie-audit --version: ${version.stdout}${version.stderr}`);
console.log(`check-packed: pie-audit doctor and --version run from the installed bin:\n${doctor.stdout.trimEnd()}`);
console.log('check-packed: OK');
