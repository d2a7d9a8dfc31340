import { PieAuditError } from '../errors.js';
import { ensureOutputFolder, writeFilesAtomic } from '../report/write-atomic.js';
import { join } from 'node:path';
import { renderDiffHtml } from './render-diff-html.js';
import { renderDiffMarkdown } from './render-diff-markdown.js';
import type { AuditDiff } from './types.js';

/** The files {@link writeDiff} writes, diff.json last (it marks a complete set). */
export const DIFF_FILES = ['diff.md', 'diff.html', 'diff.json'] as const;

/**
 * Writes `diff.md`, `diff.html` and `diff.json` into `dir` (created when missing), all or none: each is written whole
 * to a temp file first and renamed into place, diff.json last. Returns the paths written.
 *
 * @throws PieAuditError `IO_ERROR` naming the folder or file that could not be written
 * @example
 * await writeDiff(compareAudits(before, after), 'diff-out'); // ['diff-out/diff.md', 'diff-out/diff.html', 'diff-out/diff.json']
 */
export async function writeDiff(diff: AuditDiff, dir: string): Promise<string[]> {
  let json: string;
  try {
    json = `${JSON.stringify(diff, null, 2)}\n`;
  } catch (cause) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `writeDiff: the diff cannot be serialised as JSON (${(cause as Error).message}).`,
      {},
      { cause },
    );
  }
  await ensureOutputFolder(dir);
  await writeFilesAtomic(dir, { 'diff.md': renderDiffMarkdown(diff), 'diff.html': renderDiffHtml(diff), 'diff.json': json });
  return DIFF_FILES.map((name) => join(dir, name));
}
