import { pairedFlips } from '../analysis/paired-flips.js';
import type { ClassImpactReportRow, ClassImpactSummary, FlipSummary, PieExemplar } from '../schema/index.js';
import type { LevelIntervals } from './level-intervals.js';
import { toCi } from './level-intervals.js';
import type { NormalizedAudit } from './validate-audit-options.js';

/** What the report says a population of seeds would add to a level of one model each. @internal */
export const POPULATION_NOTE =
  'These exact tests compare this compressed model with this baseline model on examples like the test set; they do not ' +
  'say whether compressing another training run would do the same. A population of seeds per level (at least 3 ' +
  'baseline and 3 compressed models trained with different seeds) would add intervals that cover retraining ' +
  '(models and examples), Welch tests of each class beyond the change in top-1 accuracy, PIEs by modal label, and the ' +
  'seed-noise floor of their count.';

/** The single-model sections of one level. @internal */
export interface SingleModelSections {
  flips: { status: 'ok' } & FlipSummary;
  classImpact: { status: 'ok' } & ClassImpactSummary;
}

/**
 * Exact paired tests for a level of one model against a baseline of one model: the flips (McNemar's exact test
 * overall, exemplars) and per-class McNemar tests in the class-impact layout, so the class gates read them as they
 * read Welch tests. `hurt` here means the class lost significantly more examples than it gained (raw recall).
 * @internal
 * @example
 * singleModelSections(config, 10, classNames, baseline[0], compressed[0], intervals, pick).flips.p; // McNemar's exact p
 */
export function singleModelSections(
  config: NormalizedAudit,
  nClasses: number,
  classNames: string[],
  baseline: Uint16Array,
  compressed: Uint16Array,
  intervals: LevelIntervals,
  pick: (isFlip: Uint8Array) => PieExemplar[],
): SingleModelSections {
  const labels = config.labels!;
  const flips = pairedFlips(labels, baseline, compressed, nClasses, {
    alpha: config.alpha,
    correction: config.correction,
    confidence: config.bootstrap.confidence,
  });
  const n = labels.length;
  let baselineRight = 0;
  for (let i = 0; i < n; i++) if (baseline[i] === labels[i]) baselineRight++;
  const top1B = baselineRight / n;
  const top1K = top1B - flips.top1Drop;
  const rows: ClassImpactReportRow[] = flips.classes.map((c) => {
    const has = c.support > 0;
    const nb = has ? c.baselineRecall! - top1B : null;
    const nk = has ? c.compressedRecall! - top1K : null;
    return {
      classIndex: c.classIndex,
      baselineMeanRecall: c.baselineRecall,
      compressedMeanRecall: c.compressedRecall,
      baselineNormalizedRecall: nb,
      compressedNormalizedRecall: nk,
      normalizedRecallChange: has ? nk! - nb! : null,
      t: null,
      df: null,
      p: c.p,
      pAdjusted: c.pAdjusted,
      significant: c.significant,
      direction: c.direction,
      status: has ? 'ok' : 'inconclusive',
      reason: has ? null : 'class has no examples',
      degenerate: false,
      nBaseline: has ? 1 : 0,
      nCompressed: has ? 1 : 0,
      className: classNames[c.classIndex],
      support: c.support,
      rawRecallChange: c.recallChange,
      rawRecallChangeCi: c.recallChangeCi,
      normalizedRecallChangeCi: toCi(intervals.classes?.[c.classIndex]?.normalizedChange),
    };
  });
  return {
    flips: {
      status: 'ok',
      lost: flips.lost,
      gained: flips.gained,
      changed: flips.changed,
      rate: flips.changed / n,
      p: flips.p,
      alpha: config.alpha,
      significant: flips.p < config.alpha,
      top1Drop: flips.top1Drop,
      top1DropCi: flips.top1DropCi,
      examples: pick(flips.isFlip),
      populationNote: POPULATION_NOTE,
    },
    classImpact: {
      status: 'ok',
      test: 'mcnemar-exact',
      alpha: config.alpha,
      correction: config.correction,
      hurtClasses: rows.filter((r) => r.direction === 'hurt').map((r) => r.classIndex),
      sparedClasses: rows.filter((r) => r.direction === 'spared').map((r) => r.classIndex),
      rows,
    },
  };
}
