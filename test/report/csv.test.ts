import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromCSV } from 'arquero';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CSV_TABLE_NAMES, renderCsvTables, writeCsvTables } from '../../src/report/csv.js';
import { AWKWARD_CLASS_NAMES, fixtureOptionsArb, makeAuditReport } from './fixtures.js';

const parse = (csv: string) => fromCSV(csv, { autoType: false }).objects() as Array<Record<string, string | null>>;

describe('renderCsvTables', () => {
  it('has one row per level / class test / attribute value / subgroup / exemplar / gate, with a header even when empty, and no NaN cells', () => {
    fc.assert(
      fc.property(fixtureOptionsArb(), (options) => {
        const report = makeAuditReport(options);
        const tables = renderCsvTables(report);
        expect(Object.keys(tables).sort()).toEqual([...CSV_TABLE_NAMES].sort());
        for (const csv of Object.values(tables)) {
          expect(csv.split('\n')[0]!.length).toBeGreaterThan(0);
          expect(csv).not.toMatch(/(^|,)(NaN|undefined|null|Infinity)(,|$)/m);
        }
        const ok = <T>(s: { status: string }): T | null => (s.status === 'ok' ? (s as T) : null);
        expect(parse(tables['levels.csv'])).toHaveLength(report.levels.length);
        expect(parse(tables['classes.csv'])).toHaveLength(report.levels.reduce((n, l) => n + (ok<{ rows: unknown[] }>(l.classImpact)?.rows.length ?? 0), 0));
        expect(parse(tables['attributes.csv'])).toHaveLength(report.levels.reduce((n, l) => n + (ok<{ rows: unknown[] }>(l.attributes)?.rows.length ?? 0), 0));
        expect(parse(tables['subgroups.csv'])).toHaveLength(report.levels.reduce((n, l) => n + (ok<{ rows: unknown[] }>(l.subgroups)?.rows.length ?? 0), 0));
        expect(parse(tables['pies.csv'])).toHaveLength(report.levels.reduce((n, l) => n + l.exemplars.length, 0));
        expect(parse(tables['gates.csv'])).toHaveLength(report.gates?.results.length ?? 0);
      }),
      { seed: 30, numRuns: 40 },
    );
  });

  it('round-trips numbers exactly and keeps awkward class names intact through CSV quoting', () => {
    const report = makeAuditReport({ seed: 5, classNames: AWKWARD_CLASS_NAMES });
    const tables = renderCsvTables(report);
    const levels = parse(tables['levels.csv']);
    report.levels.forEach((l, i) => {
      expect(levels[i]!.level).toBe(l.key);
      if (l.pies.status === 'ok') expect(Number(levels[i]!.pie_rate)).toBe(l.pies.rate);
      else expect(levels[i]!.pie_rate).toBeNull();
    });
    const classes = parse(tables['classes.csv']);
    const level = report.levels.at(-1)!;
    if (level.classImpact.status !== 'ok') throw new Error('fixture should test classes');
    for (const row of level.classImpact.rows) {
      const csvRow = classes.find((c) => c.level === level.key && Number(c.class_index) === row.classIndex)!;
      expect(csvRow.class_name).toBe(row.className);
      expect(csvRow.adjusted_p_value === null ? null : Number(csvRow.adjusted_p_value)).toBe(row.pAdjusted);
      expect(csvRow.significant).toBe(String(row.significant));
    }
  });
});

describe('writeCsvTables', () => {
  it('writes the six CSV files and nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pie-csv-'));
    const report = makeAuditReport({ seed: 6 });
    const paths = await writeCsvTables(report, dir);
    expect(readdirSync(dir).sort()).toEqual([...CSV_TABLE_NAMES].sort());
    expect(paths).toHaveLength(6);
    expect(readFileSync(join(dir, 'gates.csv'), 'utf8')).toBe(renderCsvTables(report)['gates.csv']);
  });
});
