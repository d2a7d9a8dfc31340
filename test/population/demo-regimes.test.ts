/** The demo's own data (MNIST with digit 8 made rare) through both regimes and the random controls, at small sizes. */
import { describe, expect, it } from 'vitest';
import { buildDemoPopulation, demoRecipe } from '../../src/cli/demo.js';
import { disposePopulation } from '../../src/population/index.js';

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
});
