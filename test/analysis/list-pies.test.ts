import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPIEs } from '../../src/analysis/find-pies.js';
import { listPies } from '../../src/analysis/list-pies.js';
import { isPieAuditError } from '../../src/errors.js';

const PYTHON = '/usr/bin/python3';

describe('listPies', () => {
  it.skipIf(!existsSync(PYTHON))(
    'matches a NumPy reference: PIE indices, modal labels (ties to the smaller class), vote shares and correctness',
    () => {
      const script = `
import json, numpy as np
rng = np.random.default_rng(11)
n, k = 400, 4
labels = rng.integers(0, k, n)
def population(m, noise):
    return [np.where(rng.random(n) < noise, rng.integers(0, k, n), labels) for _ in range(m)]
base, comp = population(5, 0.2), population(4, 0.45)
def modal(pop):
    counts = np.stack([np.bincount(col, minlength=k) for col in np.stack(pop).T])
    return counts.argmax(1), counts.max(1) / len(pop)
bm, bs = modal(base)
cm, cs = modal(comp)
idx = np.nonzero(bm != cm)[0]
print(json.dumps({"base": [p.tolist() for p in base], "comp": [p.tolist() for p in comp], "labels": labels.tolist(),
  "rows": [[int(i), int(bm[i]), int(cm[i]), float(bs[i]), float(cs[i]), bool(bm[i] == labels[i]), bool(cm[i] == labels[i])] for i in idx]}))
`;
      const ref = JSON.parse(execFileSync(PYTHON, ['-c', script], { encoding: 'utf8' })) as {
        base: number[][];
        comp: number[][];
        labels: number[];
        rows: Array<[number, number, number, number, number, boolean, boolean]>;
      };
      const rows = listPies(ref.base, ref.comp, { labels: ref.labels, tieBreak: 'min', nClasses: 4 });
      expect(ref.rows.length).toBeGreaterThan(20);
      expect(
        rows.map((r) => [
          r.index,
          r.baselineModal,
          r.compressedModal,
          r.baselineShare,
          r.compressedShare,
          r.baselineCorrect,
          r.compressedCorrect,
        ]),
      ).toEqual(ref.rows);
    },
  );

  it('lists exactly the PIEs findPIEs marks, with consistent shares and correctness (property)', () => {
    const population = (n: number) =>
      fc.array(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n }), { minLength: 1, maxLength: 4 });
    const input = fc.integer({ min: 1, max: 30 }).chain((n) =>
      fc.record({
        base: population(n),
        comp: population(n),
        labels: fc.option(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n }), { nil: null }),
      }),
    );
    fc.assert(
      fc.property(input, fc.constantFrom('max' as const, 'min' as const), ({ base, comp, labels }, tieBreak) => {
        const rows = listPies(base, comp, { labels, tieBreak, nClasses: 3 });
        const found = findPIEs(base, comp, { tieBreak, nClasses: 3 });
        expect(rows.map((r) => r.index)).toEqual([...found.isPIE.keys()].filter((i) => found.isPIE[i]));
        for (const r of rows) {
          expect(r.baselineModal).not.toBe(r.compressedModal);
          expect(r.baselineShare).toBe(base.filter((p) => p[r.index] === r.baselineModal).length / base.length);
          expect(r.compressedShare).toBe(comp.filter((p) => p[r.index] === r.compressedModal).length / comp.length);
          expect(r.trueLabel).toBe(labels ? labels[r.index] : null);
          // Two different modal labels cannot both be right.
          expect(r.baselineCorrect === true && r.compressedCorrect === true).toBe(false);
        }
      }),
      { seed: 71, numRuns: 200 },
    );
  });

  it('refuses labels of the wrong length with LENGTH_MISMATCH naming options.labels', () => {
    const call = () => listPies([[0, 1]], [[1, 1]], { labels: [0] });
    expect(call).toThrowError(/options\.labels has 1 entries for 2 examples/);
    try {
      call();
    } catch (e) {
      expect(isPieAuditError(e, 'LENGTH_MISMATCH')).toBe(true);
    }
  });
});
