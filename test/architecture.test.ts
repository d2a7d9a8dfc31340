import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { longFunctions } from '../scripts/long-functions.js';

/**
 * The pipeline's layers, low to high. A module imports only from its own folder or from a lower layer;
 * folders of one layer never import each other. `schema` may import `errors` (its messages are typed errors).
 */
const LAYERS: readonly (readonly string[])[] = [
  ['errors', 'schema', 'random', 'version'],
  ['analysis', 'data'],
  ['engine'],
  ['compress', 'onnx'],
  ['evaluate', 'population'],
  ['gate', 'report'],
  ['audit', 'compare'],
  ['distribute'],
  ['cli'],
];
const ALLOWED_SAME_LAYER = new Set(['schema->errors']);
/** Packages the pure statistics core (and the schema) must never load. */
const FORBIDDEN_IN_PURE = /^@tensorflow\/|^onnxruntime|^onnx-proto/;
const PURE_FOLDERS = new Set(['analysis', 'schema', 'errors', 'random']);

interface ImportEdge {
  from: string;
  to: string;
}

/** The folder (or top-level module) a path under src/ belongs to: `src/gate/x.ts` -> `gate`, `src/errors.ts` -> `errors`. */
function unitOf(path: string): string {
  const parts = path.split('/');
  return parts.length === 2 ? parts[1].replace(/\.ts$/, '') : parts[1];
}

function layerOf(unit: string): number {
  const i = LAYERS.findIndex((layer) => layer.includes(unit));
  return i;
}

/** Every violation of the layer rules among `edges` (paths relative to the repo root, `src/...`). */
function layerViolations(edges: readonly ImportEdge[]): string[] {
  const out: string[] = [];
  for (const { from, to } of edges) {
    if (to.startsWith('pkg:')) {
      if (PURE_FOLDERS.has(unitOf(from)) && FORBIDDEN_IN_PURE.test(to.slice(4)))
        out.push(`${from} imports ${to.slice(4)} (the pure core loads no runtime)`);
      continue;
    }
    if (from === 'src/index.ts' || from.endsWith('/entry.ts')) continue; // package entry points re-export
    const a = unitOf(from);
    const b = unitOf(to);
    if (a === b) continue;
    const la = layerOf(a);
    const lb = layerOf(b);
    if (la < 0) out.push(`${from}: folder '${a}' has no layer; add it to LAYERS`);
    else if (lb < 0) out.push(`${from} imports ${to}: '${b}' has no layer`);
    else if (lb > la) out.push(`${from} imports ${to}: '${a}' (layer ${la}) may not import the higher '${b}' (layer ${lb})`);
    else if (lb === la && !ALLOWED_SAME_LAYER.has(`${a}->${b}`))
      out.push(`${from} imports ${to}: '${a}' and '${b}' are one layer and may not import each other`);
  }
  return out;
}

/** The cycles among module-level imports (each reported once, as a path of files). */
function importCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) if (!e.to.startsWith('pkg:')) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const to of next.get(node) ?? []) {
      if (state.get(to) === 'open') cycles.push([...stack.slice(stack.indexOf(to)), to]);
      else if (!state.has(to)) visit(to);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...next.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    return d.isDirectory() ? sourceFiles(path) : d.name.endsWith('.ts') ? [path] : [];
  });
}

/** Import edges of one module's text (static, type-only, re-exports and dynamic `import()` alike). */
function edgesOf(file: string, text: string): ImportEdge[] {
  return ts.preProcessFile(text, true, true).importedFiles.map(({ fileName }) => {
    if (!fileName.startsWith('.')) return { from: file, to: `pkg:${fileName}` };
    return {
      from: file,
      to: normalize(join(dirname(file), fileName))
        .replace(/\.js$/, '.ts')
        .split('\\')
        .join('/'),
    };
  });
}

const root = join(__dirname, '..');
const edges = sourceFiles(join(root, 'src')).flatMap((abs) =>
  edgesOf(relative(root, abs).split('\\').join('/'), readFileSync(abs, 'utf8')),
);

describe('architecture: imports go down the pipeline', () => {
  it('parses the whole tree', () => {
    expect(edges.length).toBeGreaterThan(300);
  });

  it('has no import against the layer rules', () => {
    expect(layerViolations(edges)).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(importCycles(edges)).toEqual([]);
  });

  it('flags a deliberately wrong import, a same-layer import, tfjs in the core, and a cycle', () => {
    const wrong = [
      ...edgesOf('src/analysis/find-pies.ts', "import { renderHtml } from '../report/html.js';"),
      ...edgesOf('src/gate/evaluate-gates.ts', "import type { AuditReport } from '../audit/index.js';"),
      ...edgesOf('src/compress/x.ts', "import { exportLayersModelToOnnx } from '../onnx/index.js';"),
      ...edgesOf('src/analysis/x.ts', "import * as tf from '@tensorflow/tfjs';"),
    ];
    const found = layerViolations(wrong);
    expect(found).toHaveLength(4);
    expect(found[0]).toContain("'analysis' (layer 1) may not import the higher 'report'");
    expect(found[1]).toContain("'gate' (layer 5) may not import the higher 'audit'");
    expect(found[2]).toContain("'compress' and 'onnx' are one layer");
    expect(found[3]).toContain('@tensorflow/tfjs');
    const cycle = [...edgesOf('src/audit/a.ts', "import './b.js';"), ...edgesOf('src/audit/b.ts', "export * from './a.js';")];
    expect(importCycles(cycle)).toEqual([['src/audit/a.ts', 'src/audit/b.ts', 'src/audit/a.ts']]);
  });

  it('keeps schema a leaf: it imports nothing but errors', () => {
    const fromSchema = edges.filter((e) => e.from.startsWith('src/schema/') && !e.to.startsWith('src/schema/'));
    expect(fromSchema.map((e) => e.to).filter((to) => to !== 'src/errors.ts')).toEqual([]);
  });
});

describe('house rules: short functions, documented throws', () => {
  const files = sourceFiles(join(root, 'src')).map((abs) => ({
    file: relative(root, abs).split('\\').join('/'),
    text: readFileSync(abs, 'utf8'),
  }));

  it('has no function over about 80 lines (90 at most) without a `long-function:` reason beside it', () => {
    const long = files.flatMap(({ file, text }) => longFunctions(file, text, 90)).filter((f) => !f.explained);
    expect(long.map((f) => `${f.file}:${f.line} ${f.name} (${f.lines} lines)`)).toEqual([]);
  });

  it('documents @throws on every exported, documented function that throws', () => {
    const missing: string[] = [];
    for (const { file, text } of files) {
      const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
      for (const st of sf.statements) {
        if (!ts.isFunctionDeclaration(st) || !st.body || !st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
        const docs = ts.getJSDocCommentsAndTags(st).filter(ts.isJSDoc);
        if (docs.length === 0 || !/\bthrow\b/.test(st.body.getText(sf))) continue;
        if (!/@throws/.test(docs[docs.length - 1].getText(sf))) missing.push(`${file}: ${st.name?.getText(sf)}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
