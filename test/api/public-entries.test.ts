import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { packageEntries } from '../../tsup.config.js';

/**
 * The public surface as a user meets it: the root entry stays a short list, every subpath of package.json
 * `exports` is built from a source entry, every name the docs and examples import is exported where they
 * import it from, and every type the docs name exists.
 */
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { types: string; import: string }>;
};

/** Module specifier ('pie-audit', 'pie-audit/analysis', ...) to its source entry file. */
const entryFiles = new Map<string, string>(
  Object.entries(packageEntries).map(([name, file]) => [name === 'index' ? 'pie-audit' : `pie-audit/${name}`, join(repoRoot, file)]),
);

/** Exported names of each entry, split into values (exist at run time) and types. */
function entryExports(): Map<string, { values: Set<string>; types: Set<string> }> {
  const program = ts.createProgram([...entryFiles.values()], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const out = new Map<string, { values: Set<string>; types: Set<string> }>();
  for (const [specifier, file] of entryFiles) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
    const values = new Set<string>();
    const types = new Set<string>();
    for (const symbol of checker.getExportsOfModule(module)) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const typeOnly = symbol.declarations?.some((d) => ts.isTypeOnlyImportOrExportDeclaration(d)) ?? false;
      if (target.flags & ts.SymbolFlags.Value && !typeOnly) values.add(symbol.name);
      else types.add(symbol.name);
    }
    out.set(specifier, { values, types });
  }
  return out;
}

const exportsOf = entryExports();

/** The Markdown and TypeScript files a user reads: README.md, docs/*.md, examples/*.ts. */
function userFacingFiles(): Array<{ file: string; text: string }> {
  const files = [
    'README.md',
    ...readdirSync(join(repoRoot, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
    ...readdirSync(join(repoRoot, 'examples'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `examples/${f}`),
  ];
  return files.map((file) => ({ file, text: readFileSync(join(repoRoot, file), 'utf8') }));
}

/** Every `import { a, type B } from 'pie-audit...'` in a text: the specifier and each imported name. */
function packageImports(text: string): Array<{ specifier: string; name: string; typeOnly: boolean }> {
  const found: Array<{ specifier: string; name: string; typeOnly: boolean }> = [];
  for (const m of text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s*from\s*'(pie-audit(?:\/[\w-]+)?)'/g)) {
    for (const part of m[2].split(',')) {
      const item = part.trim();
      if (!item) continue;
      const typeOnly = m[1] !== undefined || item.startsWith('type ');
      const name = item.replace(/^type\s+/, '').split(/\s+as\s+/)[0];
      found.push({ specifier: m[3], name, typeOnly });
    }
  }
  return found;
}

/** Names in a text that look like one of our types (tfjs, ONNX and JavaScript names end otherwise) but no entry exports. */
function unexportedTypeNames(text: string): string[] {
  const exported = new Set([...exportsOf.values()].flatMap(({ values, types }) => [...values, ...types]));
  const ownTypeName =
    /\b[A-Z][A-Za-z0-9]*(?:Report|Row|Summary|Options|Echo|Predictions|Predictor|Source|Config|Evaluation|Result|Info|Table|Exemplar|Set)\b/g;
  return [...new Set([...text.matchAll(ownTypeName)].map((m) => m[0]).filter((name) => !exported.has(name)))];
}

describe('the public entries', () => {
  it('keeps the root entry short: at most 80 run-time values', async () => {
    const root = exportsOf.get('pie-audit')!;
    expect(root.values.size).toBeGreaterThan(30);
    expect(root.values.size).toBeLessThanOrEqual(80);
    // What the module holds when it runs is what the compiler counts (a type-only class export is no value).
    const loaded = await import('../../src/index.js');
    expect(Object.keys(loaded).sort()).toEqual([...root.values].sort());
    // What an audit needs end to end is in the root.
    for (const name of ['auditCompression', 'writeReports', 'loadReport', 'evaluateGates', 'buildPopulation', 'PieAuditError'])
      expect(root.values, name).toContain(name);
    for (const name of ['AuditReport', 'AuditOptions', 'LevelReport', 'ClassImpactReportRow', 'GatesConfig'])
      expect(root.types, name).toContain(name);
  });

  it('keeps plumbing out of every entry', () => {
    const plumbing = ['isOneOf', 'closestKey', 'tfSamePadding', 'writeFilesAtomic', 'importOptionalModule', 'attachPieTable', 'pieTableOf'];
    for (const [specifier, { values }] of exportsOf) {
      expect(
        plumbing.filter((name) => values.has(name)),
        specifier,
      ).toEqual([]);
    }
    expect(exportsOf.get('pie-audit')!.values).not.toContain('renderBarChart');
  });

  it('builds every subpath of package.json exports from a source entry, types first', () => {
    const subpaths = Object.keys(pkg.exports).filter((s) => s !== './package.json');
    expect(subpaths.map((s) => (s === '.' ? 'pie-audit' : `pie-audit/${s.slice(2)}`)).sort()).toEqual([...entryFiles.keys()].sort());
    for (const subpath of subpaths) {
      const target = pkg.exports[subpath] as { types: string; import: string };
      expect(Object.keys(target), subpath).toEqual(['types', 'import']);
      const name = subpath === '.' ? 'index' : subpath.slice(2);
      expect(target).toEqual({ types: `./dist/${name}.d.ts`, import: `./dist/${name}.js` });
    }
  });

  it('exports every name the docs and examples import, from the entry they import it from', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const { file, text } of userFacingFiles()) {
      for (const { specifier, name, typeOnly } of packageImports(text)) {
        const entry = exportsOf.get(specifier);
        checked++;
        if (!entry) missing.push(`${file}: '${specifier}' is not an entry of the package`);
        else if (!entry.values.has(name) && !(typeOnly && entry.types.has(name)))
          missing.push(`${file}: ${name} is not exported ${typeOnly ? '' : 'as a value '}by '${specifier}'`);
      }
    }
    expect(checked).toBeGreaterThan(60);
    expect(missing).toEqual([]);
  });

  it('names in the docs only report, option and result types that some entry exports', () => {
    const unknown = userFacingFiles()
      .filter(({ file }) => file.endsWith('.md'))
      .flatMap(({ file, text }) => unexportedTypeNames(text).map((name) => `${file}: ${name}`));
    expect(unknown).toEqual([]);
  });

  it('would catch a doc importing from the wrong entry or naming a type that does not exist', () => {
    const doc = "The rows are `ReportClassImpactRow[]`.\n```ts\nimport { evaluateGates, type AuditReport } from 'pie-audit/analysis';\n```";
    expect(packageImports(doc)).toEqual([
      { specifier: 'pie-audit/analysis', name: 'evaluateGates', typeOnly: false },
      { specifier: 'pie-audit/analysis', name: 'AuditReport', typeOnly: true },
    ]);
    expect(exportsOf.get('pie-audit/analysis')!.values.has('evaluateGates')).toBe(false);
    expect(unexportedTypeNames(doc)).toEqual(['ReportClassImpactRow']);
  });
});
