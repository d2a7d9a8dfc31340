import { PieAuditError } from '../errors.js';
import type { AuditReport } from '../schema/index.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Throws unless two reports audited the same test set, as far as report.json records it: the example count, whether
 * labels were given, the examples per class, the class names, a labels hash where both reports record one
 * (`testSet.labelsHash`), and the true labels of the PIE exemplars both list (a spot check of row order). Diffing
 * audits of different data would compare unrelated PIE sets.
 *
 * @throws PieAuditError `INVALID_ARGUMENT` (argument `after`) naming the first field that differs
 * @example
 * assertSameTestSet(before, after); // throws when after.testSet.n !== before.testSet.n
 */
export function assertSameTestSet(before: AuditReport, after: AuditReport): void {
  const a = before.testSet as unknown as Record<string, unknown>;
  const b = after.testSet as unknown as Record<string, unknown>;
  const differ = (field: string, x: unknown, y: unknown): never => {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `compareAudits: the two reports audited different test sets (${field}: ${JSON.stringify(x)} before, ${JSON.stringify(y)} after). ` +
        "Diff only audits of the same test examples, in the same order; re-run one audit on the other's test set.",
      { argument: 'after', field, before: x, after: y },
    );
  };
  if (a.n !== b.n) differ('testSet.n', a.n, b.n);
  if (a.hasLabels !== b.hasLabels) differ('testSet.hasLabels', a.hasLabels, b.hasLabels);
  if (!same(a.labelCounts, b.labelCounts)) differ('testSet.labelCounts', a.labelCounts, b.labelCounts);
  if (!same(before.classNames, after.classNames)) differ('classNames', before.classNames, after.classNames);
  // The hash of the labels, where both reports record one (older reports lack it).
  if (typeof a.labelsHash === 'string' && typeof b.labelsHash === 'string' && a.labelsHash !== b.labelsHash)
    differ('testSet.labelsHash', a.labelsHash, b.labelsHash);
  if (isObject(a.fingerprint) && isObject(b.fingerprint) && !same(a.fingerprint, b.fingerprint))
    differ('testSet.fingerprint', a.fingerprint, b.fingerprint);
  // Without a hash, the exemplars both reports list are a spot check of row order: one row, one true label.
  const labelsB = exemplarLabels(before);
  for (const [index, label] of exemplarLabels(after)) {
    const was = labelsB.get(index);
    if (was !== undefined && was !== label) differ(`true label of test example ${index}`, was, label);
  }
}

/** The true label of every exemplar a report lists, by test-set row. */
function exemplarLabels(report: AuditReport): Map<number, number> {
  const out = new Map<number, number>();
  for (const level of report.levels)
    for (const e of Array.isArray(level.exemplars) ? level.exemplars : [])
      if (typeof e?.trueLabel === 'number' && typeof e.index === 'number') out.set(e.index, e.trueLabel);
  return out;
}
