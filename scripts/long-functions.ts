/**
 * Lists the functions in src/ longer than a limit (default 80 lines), with their line counts, so a
 * review can split them; a function whose doc comment or first line says `long-function:` (and why) is allowed.
 * Usage: `tsx scripts/long-functions.ts [limit]`. Exits 1 when any unexplained long function remains.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface LongFunction {
  file: string;
  name: string;
  line: number;
  lines: number;
  explained: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    return d.isDirectory() ? sourceFiles(path) : d.name.endsWith('.ts') ? [path] : [];
  });
}

/** Functions (declarations, methods, arrow functions and expressions) of `text` longer than `limit` lines. */
export function longFunctions(file: string, text: string, limit: number): LongFunction[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const out: LongFunction[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.end).line;
      const lines = end - start + 1;
      if (lines > limit) {
        const leading =
          text.slice(node.getFullStart(), node.getStart(sf)) + text.slice(node.getStart(sf), text.indexOf('\n', node.getStart(sf)));
        const name = (node as ts.FunctionDeclaration).name?.getText(sf) ?? ts.SyntaxKind[node.kind];
        out.push({ file, name, line: start + 1, lines, explained: /long-function:/.test(leading) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '');
if (isMain) {
  const limit = Number(process.argv[2] ?? 80);
  const root = join(import.meta.dirname, '..');
  const found = sourceFiles(join(root, 'src')).flatMap((abs) => longFunctions(relative(root, abs), readFileSync(abs, 'utf8'), limit));
  for (const f of found.sort((a, b) => b.lines - a.lines))
    console.log(`${f.lines}\t${f.file}:${f.line}\t${f.name}${f.explained ? '\t(explained)' : ''}`);
  if (found.some((f) => !f.explained)) process.exitCode = 1;
}
