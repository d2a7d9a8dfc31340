/** The demo's own data (MNIST with digit 8 made rare) through both regimes and the random controls, at small sizes. */
import { describe, expect, it } from 'vitest';
import { buildDemoPopulation, demoRecipe } from '../../src/cli/demo.js';
import { disposePopulation } from '../../src/population/index.js';
import { auditCompression } from '../../src/audit/audit-compression.js';
import { populationMembers } from '../../src/audit/population-members.js';

const quiet = { update: () => {}, log: () => {}, done: () => {} };
// 784x16 hidden kernel pruned to 0.9 (tfmot keeps round(12544 * 0.1) = 1254), 16x10 classifier kept dense
const ZEROS_AT_90 = (784 * 16 - 1254) / (784 * 16 + 16 * 10);
const small = {
  ...demoRecipe({ quick: true }),
  hidden: [16],
  trainSubset: 1500,
  fineTuneSubset: 500,
  levels: [0, 0.9],
  seeds: [1, 2],
  testSubset: 100,
};

describe('demo populations per regime (small)', () => {
  it('fromScratch with randomControl: independent MLPs on the long-tail MNIST data at 0, 0.9 and random@0.9', async () => {
    const { population } = await buildDemoPopulation({ ...small, regime: 'fromScratch', randomControl: true }, quiet);
    try {
      expect(population.levelKeys).toEqual(['0', '0.9', 'random@0.9']);
      expect(population.design.kind).toBe('independent');
      for (const key of ['0.9', 'random@0.9']) population.measuredSparsity[key].forEach((s) => expect(s).toBeCloseTo(ZEROS_AT_90, 6));
      population.measuredSparsity['0'].forEach((s) => expect(s).toBe(0));
    } finally {
      disposePopulation(population);
    }
  });

  it('fineTune with randomControl: paired levels from each seed baseline', async () => {
    const { population } = await buildDemoPopulation({ ...small, randomControl: true }, quiet);
    try {
      expect(population.levelKeys).toEqual(['0', '0.9', 'random@0.9']);
      expect(population.design).toMatchObject({ kind: 'paired', pairIds: { 'random@0.9': ['seed-1', 'seed-2'] } });
      population.measuredSparsity['random@0.9'].forEach((s) => expect(s).toBeCloseTo(ZEROS_AT_90, 6));
    } finally {
      disposePopulation(population);
    }
  });

  it('the sanity checks for traps stay silent on the demo population (fineTune, 3 seeds, levels 0, 0.5, 0.9)', async () => {
    const { population, testImages, testLabels, classNames, attributes } = await buildDemoPopulation(
      { ...small, levels: [0, 0.5, 0.9], seeds: [1, 2, 3], testSubset: 1000 },
      quiet,
    );
    try {
      const report = await auditCompression({
        population: populationMembers(population),
        testSet: { inputs: testImages, inputShape: [28, 28, 1], labels: testLabels, attributes },
        classNames,
        bootstrap: { resamples: 0 },
      });
      expect(report.design.design).toBe('paired');
      // The traps (copies, sparsity unlike the level's name, levels in percent) are silent on a real population; the
      // tie-rule check is a measurement, not a trap: with 3 small MLPs a third of the modal labels are ties, and it
      // reports both PIE counts (e.g. 341 vs 292 at 0.9).
      const traps = report.sanityWarnings!.filter((w) => !/PIEs with tie rule/.test(w));
      expect(traps).toEqual([]);
      for (const w of report.sanityWarnings!.filter((x) => /PIEs with tie rule/.test(x))) {
        const level = report.levels.find((l) => w.startsWith(`level '${l.key}'`))!;
        expect(level.pies.status === 'ok' && w.includes(`${level.pies.count} PIEs with tie rule 'max'`)).toBe(true);
      }
      expect(report.warnings.filter((w) => /without a correction/.test(w))).toEqual([]);
    } finally {
      disposePopulation(population);
    }
  });
});
