import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromCSV } from 'arquero';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CSV_TABLE_NAMES, renderCsvTables, writeCsvTables } from '../../src/report/csv.js';
import { attachPieTable, buildPieTable } from '../../src/report/pie-table.js';
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
        expect(parse(tables['classes.csv'])).toHaveLength(
          report.levels.reduce((n, l) => n + (ok<{ rows: unknown[] }>(l.classImpact)?.rows.length ?? 0), 0),
        );
        expect(parse(tables['attributes.csv'])).toHaveLength(
          report.levels.reduce((n, l) => n + (ok<{ rows: unknown[] }>(l.attributes)?.rows.length ?? 0), 0),
        );
        expect(parse(tables['subgroups.csv'])).toHaveLength(
          report.levels.reduce((n, l) => n + (ok<{ rows: unknown[] }>(l.subgroups)?.rows.length ?? 0), 0),
        );
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

describe('interval and noise-floor columns', () => {
  it('carry every interval beside its estimate, the noise floor per level and the gate interval, exactly', () => {
    const report = makeAuditReport({ seed: 5 });
    const tables = renderCsvTables(report);
    const cell = (v: string | null | undefined) => (v === null || v === undefined ? null : Number(v));
    const levels = parse(tables['levels.csv']);
    report.levels.forEach((l, i) => {
      const row = levels[i]!;
      if (l.accuracy.status === 'ok') {
        expect([cell(row.top1_mean_ci_low), cell(row.top1_mean_ci_high)]).toEqual(l.accuracy.ci);
        expect(cell(row.top1_drop)).toBe(l.accuracy.top1Drop);
      }
      if (l.pies.status === 'ok') {
        expect([cell(row.pie_rate_ci_low), cell(row.pie_rate_ci_high)]).toEqual(l.pies.rateCi);
        expect(cell(row.excess_pies)).toBe(l.pies.permutation.excess);
        expect(cell(row.noise_floor_p)).toBe(l.pies.permutation.p);
        expect(row.noise_floor_status).toBe(l.pies.permutation.status);
      } else expect(row.noise_floor_status).toBeNull();
    });
    const header = tables['subgroups.csv'].split('\n')[0]!.split(',');
    expect(header.indexOf('fnr_gap_ci_low')).toBe(header.indexOf('fnr_gap') + 1);
    const level = report.levels.at(-1)!;
    if (level.subgroups.status !== 'ok' || level.classImpact.status !== 'ok') throw new Error('fixture should have subgroups and classes');
    const sub = parse(tables['subgroups.csv']).filter((r) => r.level === level.key);
    level.subgroups.rows.forEach((r, j) => {
      expect(cell(sub[j]!.fnr_gap)).toBe(r.fnrGap);
      expect([cell(sub[j]!.fnr_gap_ci_low), cell(sub[j]!.fnr_gap_ci_high)]).toEqual(r.fnrGapCi);
    });
    const classes = parse(tables['classes.csv']).filter((r) => r.level === level.key);
    level.classImpact.rows.forEach((r, j) => {
      expect(cell(classes[j]!.raw_recall_change)).toBe(r.rawRecallChange);
      expect(r.rawRecallChangeCi === null ? [null, null] : r.rawRecallChangeCi).toEqual([
        cell(classes[j]!.raw_recall_change_ci_low),
        cell(classes[j]!.raw_recall_change_ci_high),
      ]);
    });
    const gates = parse(tables['gates.csv']);
    report.gates!.results.forEach((g, j) => {
      expect(g.interval ?? [null, null]).toEqual([cell(gates[j]!.interval_low), cell(gates[j]!.interval_high)]);
      expect(gates[j]!.waived).toBe(String(g.waived));
    });
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

describe('pies.csv with the full PIE table', () => {
  it('lists every PIE of every level with vote shares, correctness, kind and attribute values; report.json is unchanged', () => {
    const report = makeAuditReport({ seed: 2 });
    const before = JSON.stringify(report);
    const baseline = [Uint16Array.of(0, 1, 2, 3, 1), Uint16Array.of(0, 1, 2, 3, 2), Uint16Array.of(0, 1, 1, 3, 2)];
    const pruned = [Uint16Array.of(1, 1, 2, 0, 3), Uint16Array.of(1, 1, 1, 0, 3), Uint16Array.of(0, 2, 1, 0, 3)];
    const table = buildPieTable({
      baseline,
      levels: [{ key: '0.9', predictions: pruned }],
      labels: [0, 1, 1, 2, 3],
      attributes: [{ name: 'level', values: ['a', 'b', null, '=cmd', 'e'] }],
      tieBreak: 'max',
    });
    attachPieTable(report, table);
    expect(JSON.stringify(report)).toBe(before);
    const rows = parse(renderCsvTables(report)['pies.csv']);
    expect(rows.map((r) => [r.level, r.index, r.baseline_modal, r.compressed_modal, r.kind])).toEqual([
      ['0.9', '0', '0', '1', 'forgotten'],
      ['0.9', '2', '2', '1', 'fixed'],
      ['0.9', '3', '3', '0', 'both wrong'],
      ['0.9', '4', '2', '3', 'fixed'],
    ]);
    expect(rows[0]).toMatchObject({
      baseline_agreement: '1',
      compressed_agreement: String(2 / 3),
      baseline_correct: 'true',
      compressed_correct: 'false',
    });
    // An attribute named like a fixed column gets its own prefixed column; missing values are empty cells.
    expect(rows.map((r) => r['attribute:level'])).toEqual(['a', null, "'=cmd", 'e']);
    expect(rows[0]!.true_label_name).toBe(report.classNames[0]);
  });
});
