import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mcnemarExactTest } from '../../src/analysis/mcnemar-exact-test.js';
import { pairedDifferenceInterval } from '../../src/analysis/paired-difference-interval.js';
import { pairedFlips } from '../../src/analysis/paired-flips.js';
import { isPieAuditError } from '../../src/errors.js';

const reference = JSON.parse(readFileSync(new URL('../fixtures/flips/mcnemar-reference.json', import.meta.url), 'utf8')) as {
  cases: Array<{ lost: number; gained: number; p: number }>;
  newcombe: Array<{ table: [number, number, number, number]; ci: [number, number] }>;
};

describe("McNemar's exact test", () => {
  it('matches scipy.stats.binomtest on the discordant examples', () => {
    for (const c of reference.cases) {
      const n = 2000;
      const r = mcnemarExactTest(c.lost, c.gained, n);
      expect(Math.abs(r.p - c.p)).toBeLessThanOrEqual(1e-12 * Math.max(1, c.p));
      expect(r.discordant).toBe(c.lost + c.gained);
    }
  });

  it('is symmetric in lost and gained and never below the smallest exact p', () => {
    fc.assert(
      fc.property(fc.nat(60), fc.nat(60), (lost, gained) => {
        const a = mcnemarExactTest(lost, gained, 200);
        const b = mcnemarExactTest(gained, lost, 200);
        expect(a.p).toBeCloseTo(b.p, 14);
        const d = lost + gained;
        // The smallest two-sided p of d flips is 2 / 2^d: a handful of flips can never give p = 0.
        if (d > 0) expect(a.p).toBeGreaterThanOrEqual(Math.min(1, 2 * 0.5 ** d) * (1 - 1e-12));
        expect(a.p).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('rejects bad counts with a typed error naming the argument', () => {
    for (const [lost, gained, n] of [
      [-1, 0, 5],
      [1.5, 0, 5],
      [3, 3, 5],
    ]) {
      try {
        mcnemarExactTest(lost, gained, n);
        expect.unreachable();
      } catch (error) {
        expect(isPieAuditError(error) && error.code).toBe('INVALID_ARGUMENT');
      }
    }
  });
});

describe("Newcombe's paired score interval", () => {
  it('matches the reference (Wilson intervals from scipy) and contains the estimate', () => {
    for (const { table, ci } of reference.newcombe) {
      const [a, b, c, d] = table;
      const got = pairedDifferenceInterval(a, b, c, d, 0.95);
      expect(got[0]).toBeCloseTo(ci[0], 12);
      expect(got[1]).toBeCloseTo(ci[1], 12);
      const estimate = (b - c) / (a + b + c + d);
      expect(got[0]).toBeLessThanOrEqual(estimate + 1e-15);
      expect(got[1]).toBeGreaterThanOrEqual(estimate - 1e-15);
    }
  });

  it('accounts for how many examples flipped, not only which way (wider than the flips alone suggest)', () => {
    // 60 lost, 1 gained of 400: an interval conditional on 61 flips would end at 61 / 400 = 15.25 pp.
    const [, high] = pairedDifferenceInterval(339, 60, 1, 0, 0.95);
    expect(high).toBeGreaterThan(0.16);
  });
});

describe('pairedFlips', () => {
  it('counts flips overall and per class and tests each class', () => {
    // Class 0: 10 examples, the compressed model loses 6 of them; class 1: 10 examples, one gained.
    const labels = [...new Array(10).fill(0), ...new Array(10).fill(1)];
    const baseline = [...new Array(10).fill(0), ...new Array(9).fill(1), 0];
    const compressed = [...new Array(6).fill(1), ...new Array(4).fill(0), ...new Array(10).fill(1)];
    const flips = pairedFlips(labels, baseline, compressed, 2, { alpha: 0.05, correction: 'none' });
    expect(flips).toMatchObject({ n: 20, lost: 6, gained: 1, changed: 7 });
    expect(flips.top1Drop).toBeCloseTo(5 / 20, 15);
    expect(flips.p).toBeCloseTo(mcnemarExactTest(6, 1, 20).p, 15);
    expect(flips.classes[0]).toMatchObject({ support: 10, lost: 6, gained: 0, baselineRecall: 1, compressedRecall: 0.4 });
    expect(flips.classes[0].p).toBeCloseTo(2 / 64, 15);
    expect(flips.classes[0].direction).toBe('hurt');
    expect(flips.classes[1]).toMatchObject({ lost: 0, gained: 1, direction: 'unchanged', significant: false });
    expect(Array.from(flips.isFlip).reduce((a, b) => a + b, 0)).toBe(7);
    const ci = flips.top1DropCi;
    expect(ci[0]).toBeLessThanOrEqual(flips.top1Drop);
    expect(ci[1]).toBeGreaterThanOrEqual(flips.top1Drop);
  });

  it('corrects the class tests (Holm) and leaves a class without examples untested', () => {
    const labels = new Array(12).fill(0);
    const baseline = new Array(12).fill(0);
    const compressed = [...new Array(6).fill(1), ...new Array(6).fill(0)];
    const flips = pairedFlips(labels, baseline, compressed, 3, { alpha: 0.05, correction: 'holm' });
    expect(flips.classes[0].pAdjusted).toBeCloseTo(2 / 64, 15);
    expect(flips.classes[1]).toMatchObject({ support: 0, p: null, direction: null, significant: false });
  });
});
