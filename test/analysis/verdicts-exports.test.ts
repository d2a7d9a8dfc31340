import { describe, expect, it } from 'vitest';
import * as analysis from '../../src/analysis/entry.js';

describe('pie-audit/analysis exports the verdict statistics', () => {
  it('exports the noise floor, the bootstrap intervals and the exemplar functions', () => {
    for (const name of [
      'pieNoiseFloor',
      'modelsNeeded',
      'resolveNoiseFloorDesign',
      'permutationSplits',
      'pieSplitCounts',
      'bootstrapResample',
      'bootstrapSettings',
      'shareCorrect',
      'sharePredicting',
      'bootstrapTop1Intervals',
      'bootstrapPieRateInterval',
      'bootstrapClassRecallIntervals',
      'bootstrapOverIndexIntervals',
      'bootstrapErrorRateIntervals',
      'pieAccuracyBreakdown',
      'topKAccuracy',
      'meanProbabilities',
      'taxicabDistances',
      'topExemplarsByDistance',
    ]) {
      expect(typeof (analysis as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(typeof analysis.CONSTANT_EQUAL_REASON).toBe('string');
    expect(typeof analysis.CONSTANT_DIFFERENT_REASON).toBe('string');
  });
});
