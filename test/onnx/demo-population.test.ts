import { describe, expect, it } from 'vitest';
import { buildDemoPopulation, demoRecipe } from '../../src/cli/demo.js';
import { evaluatePopulation } from '../../src/evaluate/evaluate-population.js';
import { disposePopulation } from '../../src/population/population.js';

const quiet = { update() {}, log() {}, done() {} };

// The audit's verdicts rest on top-1 labels, so the ONNX path must not change a single one: check it on
// the demo's own pruned models (quick recipe: 2 seeds x levels 0, 0.5, 0.9) over all 10,000 MNIST test images.
describe('ONNX export on the demo population', () => {
  it('gives the same top-1 label as tfjs for every model and every test image, and keeps pruned zeros', async () => {
    const { population, testImages } = await buildDemoPopulation({ ...demoRecipe({ quick: true }), testSubset: null }, quiet);
    try {
      const models = Object.values(population.levels).flat();
      expect(models).toHaveLength(6);
      const testSet = { inputs: testImages, inputShape: [28, 28, 1], n: 10_000 };
      const onnx = await evaluatePopulation(models, testSet, { runtime: 'onnx' });
      const tfjs = await evaluatePopulation(models, testSet, { runtime: 'tfjs' });
      expect(onnx.perModel.every((m) => m.runtime === 'onnx')).toBe(true);
      expect(tfjs.perModel.every((m) => m.runtime === 'tfjs')).toBe(true);
      let differing = 0;
      for (let i = 0; i < onnx.predictions.length; i++) if (onnx.predictions[i] !== tfjs.predictions[i]) differing++;
      expect(differing).toBe(0);
      // The 0.9 level really is pruned (hidden layer at 90%, the small classifier dense), so the comparison covers sparse weights.
      expect(Math.min(...population.measuredSparsity['0.9'])).toBeGreaterThan(0.88);
    } finally {
      disposePopulation(population);
    }
  });
});
