import { describe, expect, it } from 'vitest';
import { bootstrapClassRecallIntervals } from '../../src/analysis/bootstrap-class-recall-intervals.js';
import { bootstrapErrorRateIntervals } from '../../src/analysis/bootstrap-error-rate-intervals.js';
import { bootstrapOverIndexIntervals } from '../../src/analysis/bootstrap-over-index-intervals.js';
import { bootstrapPieRateInterval } from '../../src/analysis/bootstrap-pie-rate-interval.js';
import { bootstrapTop1Intervals } from '../../src/analysis/bootstrap-top1-intervals.js';
import { findPIEs } from '../../src/analysis/find-pies.js';
import { shareCorrect } from '../../src/analysis/share-correct.js';
import { sharePredicting } from '../../src/analysis/share-predicting.js';
import { baselineShares, levelIntervals, valueKey } from '../../src/audit/level-intervals.js';
import { seededRandom } from '../../src/random/seeded-random.js';

/** Seeded binary task: 3 attributes (one with missing values and three values), models erring more per level. */
function population(n: number, models: number, levels: number) {
  const rand = seededRandom(7);
  const labels = Uint8Array.from({ length: n }, () => (rand() < 0.3 ? 1 : 0));
  const hard = Float64Array.from({ length: n }, () => (rand() < 0.2 ? 0.3 : 0.02));
  const attributes = [
    { name: 'Male', values: Array.from({ length: n }, () => (rand() < 0.4 ? 1 : -1)) },
    { name: 'Young', values: Array.from({ length: n }, (_, i) => (rand() < (labels[i] ? 0.8 : 0.5) ? 1 : -1)) },
    { name: 'site', values: Array.from({ length: n }, () => (rand() < 0.1 ? null : ['a', 'b', 'c'][Math.floor(rand() * 3)])) },
  ];
  const level = (l: number) =>
    Array.from({ length: models }, () => Uint16Array.from(labels, (y, i) => (rand() < hard[i] * (1 + l) ? 1 - y : y)));
  return { labels, attributes, levels: Array.from({ length: levels }, (_, l) => level(l)) };
}

describe('levelIntervals', () => {
  it('gives, level after level with one shared memo, exactly the intervals of bootstrapping each family alone', () => {
    const { labels, attributes, levels } = population(400, 5, 3);
    const options = { resamples: 60, confidence: 0.9, seed: 11 };
    const [baseline, ...compressed] = levels;
    const shares = baselineShares(labels, baseline, 1, options);
    for (const predictions of compressed) {
      const { isPIE } = findPIEs(baseline, predictions, { nClasses: 2 });
      const shared = levelIntervals({ labels, nClasses: 2, isPIE, predictions, baseline: shares, attributes, positiveClass: 1 }, options);
      const share = shareCorrect(labels, predictions);
      expect(shared.top1).toEqual(bootstrapTop1Intervals(shares.correct!, share, options));
      expect(shared.classes).toEqual(bootstrapClassRecallIntervals(labels, shares.correct!, share, 2, options));
      expect(shared.pieRate).toEqual(bootstrapPieRateInterval(isPIE, options));
      const record = Object.fromEntries(attributes.map((a) => [a.name, a.values]));
      for (const row of bootstrapOverIndexIntervals(isPIE, record, options)) {
        expect(shared.overIndex.get(valueKey(row.attribute, row.value))).toEqual(row.overIndexRatio);
      }
      const compressedPositive = sharePredicting(predictions, 1);
      for (const a of attributes) {
        const alone = bootstrapErrorRateIntervals(
          {
            labels,
            groups: a.values,
            baselineSharePositive: shares.positive!,
            compressedSharePositive: compressedPositive,
            positiveClass: 1,
          },
          options,
        );
        for (const row of alone) expect(shared.errorRates.get(valueKey(a.name, row.group))).toEqual(row);
      }
    }
  });
});
