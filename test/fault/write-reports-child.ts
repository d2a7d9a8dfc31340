// Child process of kill.test.ts: writes report sets into one folder, one generation after another,
// alternating full sets and CSV-only sets (only full sets with a second argument `full`), until it is killed.
import { writeReports } from '../../src/report/write-reports.js';
import { makeAuditReport } from '../report/fixtures.js';

const [dir, mode] = process.argv.slice(2);
const base = makeAuditReport({ seed: 41, classes: 200, thumbnails: true });
process.stdout.write('ready\n');
for (let generation = 0; ; generation++) {
  const report = structuredClone(base);
  report.classNames = report.classNames.map((n, i) => (i === 0 ? `gen-${generation}` : n));
  for (const level of report.levels) {
    if (level.classImpact.status === 'ok')
      for (const row of level.classImpact.rows) if (row.classIndex === 0) row.className = `gen-${generation}`;
  }
  await writeReports(report, dir, generation % 2 === 0 || mode === 'full' ? ['json', 'md', 'html', 'csv'] : ['csv']);
}
