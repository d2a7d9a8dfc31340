/** GitHub's limit for one step summary (`$GITHUB_STEP_SUMMARY`): larger files are not shown at all. */
export const MAX_MARKDOWN_BYTES = 1024 * 1024;

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * Joins report sections into Markdown of at most `limit` UTF-8 bytes (default 1 MiB, GitHub's step
 * summary limit). Sections are kept whole, in order, while they fit; the first that does not is cut at
 * a line boundary with its open `<details>` closed, and a note says where the full tables are.
 *
 * @example
 * boundMarkdown(['# pie-audit report', hugeTable]); // '# pie-audit report\n\n…\n\n> report.md was cut …\n'
 */
export function boundMarkdown(sections: readonly string[], limit = MAX_MARKDOWN_BYTES): string {
  const note = `> report.md was cut to ${Math.floor(limit / 1024)} KiB (GitHub's step summary limit); every table is complete in report.html and the CSV files.`;
  const whole = `${sections.join('\n\n')}\n`;
  if (bytes(whole) <= limit) return whole;
  const budget = limit - bytes(note) - 64;
  const kept: string[] = [];
  let used = 0;
  for (const section of sections) {
    const size = bytes(section) + 2;
    if (used + size <= budget) {
      kept.push(section);
      used += size;
      continue;
    }
    const lines: string[] = [];
    for (const line of section.split('\n')) {
      if (used + bytes(line) + 1 > budget) break;
      lines.push(line);
      used += bytes(line) + 1;
    }
    const text = lines.join('\n');
    const open = (text.match(/<details>/g) ?? []).length - (text.match(/<\/details>/g) ?? []).length;
    kept.push(text + '\n\n</details>'.repeat(Math.max(0, open)));
    break;
  }
  return `${kept.join('\n\n')}\n\n${note}\n`;
}
