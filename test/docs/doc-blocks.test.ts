import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractTsBlocks, namesTakenFromFixtures, writeDocProject } from './doc-blocks.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const docs = [
  { name: 'readme', markdown: readFileSync(join(repoRoot, 'README.md'), 'utf8') },
  { name: 'getting-started', markdown: readFileSync(join(repoRoot, 'docs/getting-started.md'), 'utf8') },
];

/**
 * Runs node asynchronously: tsc and the blocks (which train small populations) take minutes on a busy machine, and a
 * synchronous child would block this worker's messages to vitest for that long.
 */
function runNode(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv },
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { ...options, encoding: 'utf8', timeout: 540_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('the TypeScript blocks of README.md and docs/getting-started.md', () => {
  it('finds every block', () => {
    expect(extractTsBlocks(docs[0].markdown)).toHaveLength(1);
    expect(extractTsBlocks(docs[1].markdown)).toHaveLength(5);
  });

  it('are complete: each defines or imports every name it uses, so it runs when pasted as written', () => {
    for (const doc of docs)
      extractTsBlocks(doc.markdown).forEach((block, i) => expect(namesTakenFromFixtures(block), `${doc.name} block ${i + 1}`).toEqual([]));
    expect(namesTakenFromFixtures('console.log(report.verdict, labels.length);')).toEqual(['labels', 'report']);
    expect(namesTakenFromFixtures('f({ testSet: { labels: [0] }, population: x.population });')).toEqual(['x']);
  });

  it('typecheck against the public types and run as written, without the user initialising a backend', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pie-audit-doc-blocks-'));
    symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
    // pie-audit is the package's own name; here it maps to the sources (src/index.ts, src/<stage>/entry.ts).
    const files = writeDocProject(dir, docs, {
      'pie-audit': [join(repoRoot, 'src/index.ts')],
      'pie-audit/*': [join(repoRoot, 'src/*/entry.ts')],
    });
    const tsc = await runNode([join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], {});
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    const env = { ...process.env, NODE_NO_WARNINGS: '1', TSX_TSCONFIG_PATH: join(dir, 'tsconfig.json') };
    const run = await runNode(['--import', 'tsx', join(dir, 'run-blocks.ts'), ...files], { cwd: dir, env });
    expect(run.status, run.stderr).toBe(0);
    const results = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Array<{ file: string; ok: boolean; error?: string }>;
    expect(results).toHaveLength(files.length);
    for (const r of results) expect(r.ok, `${r.file}: ${r.error}`).toBe(true);
  }, 600_000);
});
