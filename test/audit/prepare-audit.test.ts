/** prepareAudit: one reading of the options (n, member kinds and files, level ranges) for every audit path. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareAudit } from '../../src/audit/prepare-audit.js';
import { runAudit } from '../../src/audit/audit-compression.js';
import { reportedPath } from '../../src/audit/reported-path.js';
import { encodeNpy } from '../../src/data/npy.js';

describe('prepareAudit', () => {
  it('reads n from the first predictions file when there are no labels or inputs, and classifies every member once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pie-prepare-'));
    const npy = join(dir, 'seed-1.npy');
    writeFileSync(npy, encodeNpy(Uint16Array.from([0, 1, 1, 0, 2]), [5]));
    const json = join(dir, 'seed-2.json');
    writeFileSync(json, JSON.stringify([0, 1, 2, 0, 2]));
    const prepared = await prepareAudit({
      population: { 0: [npy, { predictionsFile: json, format: 'json' }], 0.5: [{ predictions: [0, 1, 1, 1, 2] }, npy] },
      testSet: {},
    });
    expect(prepared.n).toBe(5);
    expect(prepared.members.map((m) => [m.level, m.kind, m.file])).toEqual([
      ['0', 'predictions-file', npy],
      ['0', 'predictions-file', json],
      ['0.5', 'predictions', null],
      ['0.5', 'predictions-file', npy],
    ]);
    expect(prepared.runsModels).toBe(false);
    expect([...prepared.levelRanges.entries()]).toEqual([
      ['0', { start: 0, end: 2 }],
      ['0.5', { start: 2, end: 4 }],
    ]);
    // The audit starts from the same reading: its report counts those 5 examples, with the members named by their files.
    const { report, pies } = await runAudit({
      population: { 0: [npy, { predictionsFile: json, format: 'json' }], 0.5: [{ predictions: [0, 1, 1, 1, 2] }, npy] },
      testSet: {},
    });
    expect(report.testSet.n).toBe(5);
    // Stored without this machine's folders (reportedPath), named by the file as a merge names it.
    expect(report.levels[0].models.map((m) => m.id)).toEqual([npy, json].map((f) => reportedPath(f)));
    expect(pies.rows.every((r) => r.level === '0.5')).toBe(true);
  });

  it("refuses invalid options with the audit's typed errors", async () => {
    await expect(
      prepareAudit({ population: { 0: [{ predictions: [0, 1] }], 0.5: [{ predictions: [1, 1] }] }, testSet: {}, alpha: 2 }),
    ).rejects.toMatchObject({
      code: 'CONFIG_ERROR',
      details: { key: 'alpha' },
    });
  });
});
