/**
 * Turns the TypeScript blocks of Markdown files into a small project that typechecks and runs them as
 * written: each block becomes one module, preceded only by an import of the names it takes as given
 * from fixtures.ts (names it neither declares nor imports itself). Used by test/docs/doc-blocks.test.ts
 * (pie-audit mapped to src/) and scripts/check-packed.ts (pie-audit installed from the packed tarball).
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The ```ts blocks of a Markdown text, in order. */
export function extractTsBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  const fence = /^```(ts|typescript)\s*\n([\s\S]*?)^```\s*$/gm;
  for (let m = fence.exec(markdown); m !== null; m = fence.exec(markdown)) blocks.push(m[2]);
  return blocks;
}

const FIXTURES = fileURLToPath(new URL('./fixtures.ts', import.meta.url));

/** Names fixtures.ts exports. */
function fixtureNames(): string[] {
  const source = readFileSync(FIXTURES, 'utf8');
  return [...source.matchAll(/^export (?:const|let|async function|function) (\w+)/gm)].map((m) => m[1]);
}

/** Names a block declares or imports itself. */
function ownNames(block: string): Set<string> {
  const names = new Set<string>();
  for (const m of block.matchAll(/\b(?:const|let|var|function)\s+(\w+)/g)) names.add(m[1]);
  for (const m of block.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}/g)) {
    for (const part of m[1].split(',')) {
      const name = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop()
        ?.trim();
      if (name) names.add(name);
    }
  }
  return names;
}

/**
 * The names a block uses without declaring or importing them, which only fixtures.ts would give it: a block that
 * needs any cannot be pasted and run as written. README.md and getting-started.md must have none.
 *
 * @example
 * namesTakenFromFixtures('console.log(report.verdict);'); // ['report']
 */
export function namesTakenFromFixtures(block: string, exported: string[] = fixtureNames()): string[] {
  const own = ownNames(block);
  // Code only: comments and string literals name things without using them.
  const code = block.replace(/\/\/.*$/gm, '').replace(/'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, "''");
  // A use, not an object key (`testSet: {`) or a property (`report.population`).
  return exported.filter((name) => !own.has(name) && new RegExp(`(?<![.\\w$])${name}\\b(?!\\s*:(?!:))`).test(code));
}

/** One Markdown file's blocks to check. */
export interface DocSource {
  /** Short name used in file names, e.g. 'readme'. */
  name: string;
  markdown: string;
}

/**
 * Writes blocks/<doc>-<i>.ts, fixtures.ts, run-blocks.ts, tsconfig.json and package.json into `dir`
 * (which must see @tensorflow/tfjs, tsx, typescript and @types/node in its node_modules). `paths`
 * maps module names for TypeScript and tsx (e.g. pie-audit to src/index.ts). Returns the block files.
 */
export function writeDocProject(dir: string, docs: DocSource[], paths?: Record<string, string[]>): string[] {
  mkdirSync(join(dir, 'blocks'), { recursive: true });
  copyFileSync(FIXTURES, join(dir, 'fixtures.ts'));
  const exported = fixtureNames();
  const files: string[] = [];
  for (const doc of docs) {
    extractTsBlocks(doc.markdown).forEach((block, i) => {
      const given = namesTakenFromFixtures(block, exported);
      const head = given.length > 0 ? `import { ${given.join(', ')} } from '../fixtures.js';\n` : '';
      const file = join(dir, 'blocks', `${doc.name}-${i + 1}.ts`);
      writeFileSync(file, `${head}${block}export {};\n`);
      files.push(file);
    });
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'doc-blocks', private: true, type: 'module' }));
  const compilerOptions = {
    target: 'ES2022',
    lib: ['ES2023'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    ...(paths ? { paths } : {}),
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['*.ts', 'blocks/*.ts'] }, null, 2));
  writeFileSync(
    join(dir, 'run-blocks.ts'),
    `import { pathToFileURL } from 'node:url';
// Runs each block module in turn (the fixtures load once) and prints what happened to each as JSON.
const results: Array<{ file: string; ok: boolean; exitCode?: number; error?: string }> = [];
for (const file of process.argv.slice(2)) {
  process.exitCode = undefined;
  try {
    await import(pathToFileURL(file).href);
    results.push({ file, ok: true, exitCode: Number(process.exitCode ?? 0) });
  } catch (e) {
    results.push({ file, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
}
process.exitCode = 0;
console.log(JSON.stringify(results));
`,
  );
  return files;
}
