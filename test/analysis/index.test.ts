import { describe, expect, it } from 'vitest';
import * as analysis from '../../src/analysis/index.js';

describe('pie-audit/analysis public API', () => {
  it('exports the PIE and class-impact functions next to the statistics core', () => {
    for (const name of [
      'modalLabels',
      'findPIEs',
      'perClassRecall',
      'topOneAccuracy',
      'populationRecall',
      'classImpactTest',
      'attributeOverIndex',
      'subgroupErrorRates',
      'compareSubgroupErrorRates',
      'assertLength',
      'assertArrayLike',
      'assertFinite',
      'assertLabels',
      'assertClassCount',
      'assertPopulation',
      'assertMinSamples',
      'welchTTest',
      'adjustPValues',
      'fisherExactTest',
    ]) {
      expect(typeof (analysis as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('runs the whole pipeline on a small example: PIEs, class impact, over-indexing', () => {
    const labels = [0, 0, 1, 1, 2, 2];
    const baseline = [
      [0, 0, 1, 1, 2, 2],
      [0, 0, 1, 1, 2, 1],
      [0, 0, 1, 1, 2, 2],
    ];
    const compressed = [
      [0, 0, 1, 0, 2, 1],
      [0, 0, 1, 0, 2, 1],
      [0, 1, 1, 0, 2, 2],
    ];
    const pies = analysis.findPIEs(baseline, compressed);
    expect(Array.from(pies.isPIE)).toEqual([0, 0, 0, 1, 0, 1]);
    const b = analysis.populationRecall(labels, baseline, 3);
    const k = analysis.populationRecall(labels, compressed, 3);
    const impact = analysis.classImpactTest({
      baselineRecall: b.recall,
      baselineAccuracy: b.accuracy,
      compressedRecall: k.recall,
      compressedAccuracy: k.accuracy,
    });
    expect(impact.classes).toHaveLength(3);
    expect(impact.classes[1].normalizedRecallChange as number).toBeLessThan(0);
    const over = analysis.attributeOverIndex(pies.isPIE, { trueClass: labels });
    expect(over.rows.map((r) => r.value)).toEqual(['0', '1', '2']);
    expect(over.rows[0].overIndexRatio).toBe(0);
  });
});
