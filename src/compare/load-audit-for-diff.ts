import { dirname } from 'node:path';
import { loadReport } from '../report/load-report.js';
import type { AuditReport } from '../schema/index.js';
import { readPieSets } from './read-pie-sets.js';
import type { PieSets } from './types.js';

/** A report read back from its folder, with the PIE sets its pies.arrow or pies.csv lists. */
export interface AuditForDiff {
  report: AuditReport;
  pies: PieSets | null;
  piesFile: string | null;
  source: string;
}

/**
 * Reads a `report.json` and the PIE indices beside it (pies.arrow, else pies.csv), ready for {@link compareAudits}.
 *
 * @throws PieAuditError `IO_ERROR` / `CORRUPT_FILE` / `CONFIG_ERROR` as {@link loadReport}, `CORRUPT_FILE` for a bad PIE file
 * @example
 * const a = await loadAuditForDiff('v1/report.json');
 * const b = await loadAuditForDiff('v2/report.json');
 * compareAudits(a.report, b.report, null, { beforePies: a.pies, afterPies: b.pies });
 */
export async function loadAuditForDiff(reportFile: string): Promise<AuditForDiff> {
  const report = await loadReport(reportFile);
  const { sets, file } = await readPieSets(dirname(reportFile), report.testSet.n);
  return { report, pies: sets, piesFile: file, source: reportFile };
}
