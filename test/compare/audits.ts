import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditCompression } from '../../src/audit/audit-compression.js';
import { writeReports } from '../../src/report/write-reports.js';
import type { AuditReport } from '../../src/schema/index.js';
import { syntheticPopulation } from '../audit/synthetic.js';

export const CLASS_NAMES = ['ant', 'bee', 'cat', 'dog'];

/**
 * Two audits of one synthetic test set (4 classes x 100 examples, 5 models per level, the same baseline, a group
 * attribute `tone` that is 'warm' on every 'cat' and every 7th example): the earlier one's level 0.9 loses accuracy
 * evenly, the candidate's also loses 40 % more on class 2 ('cat'), so 'cat' is newly hurt and tone=warm newly over-indexed.
 */
export async function twoAudits(options: { perClass?: number } = {}): Promise<{ before: AuditReport; after: AuditReport }> {
  const make = (hurt: number) =>
    syntheticPopulation({
      seed: 7,
      models: 5,
      perClass: options.perClass,
      levels: { '0': { hurt: 0, global: 0 }, '0.5': { hurt: 0, global: 0.01 }, '0.9': { hurt, global: 0.12 } },
    });
  const a = make(0);
  const b = make(0.4);
  const tone = Array.from(a.labels, (y, i) => (y === 2 || i % 7 === 0 ? 'warm' : 'cool'));
  const run = (s: ReturnType<typeof make>) =>
    auditCompression({ population: s.population, testSet: { labels: s.labels, attributes: { tone } }, classNames: CLASS_NAMES, seed: 3 });
  return { before: await run(a), after: await run(b) };
}

/** Writes a report's full set (report.json, pies.arrow, pies.csv, ...) into a new temp folder; returns report.json's path. */
export async function writeAudit(report: AuditReport, name: string): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), `pie-diff-${name}-`)), name);
  await writeReports(report, dir);
  return join(dir, 'report.json');
}
