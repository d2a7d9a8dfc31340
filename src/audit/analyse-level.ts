import { attributeOverIndex } from '../analysis/attribute-over-index.js';
import { classImpactTest } from '../analysis/class-impact-test.js';
import { compareModelRates } from '../analysis/compare-subgroup-error-rates.js';
import { findPIEs } from '../analysis/find-pies.js';
import { modalLabels } from '../analysis/modal-labels.js';
import { populationRecall, type PopulationRecall } from '../analysis/population-recall.js';
import { countRates, groupIndex, type GroupIndex, type GroupValue, type SubgroupErrorRates } from '../analysis/subgroup-error-rates.js';
import type { GroupErrorRateIntervals } from '../analysis/bootstrap-error-rate-intervals.js';
import { welchTTest } from '../analysis/stats/welch-t-test.js';
import type { AttributeValues } from './audit-options.js';
import { pickExemplars } from './exemplars.js';
import { levelIntervals, toCi, valueKey, type BaselineShares, type LevelIntervals } from './level-intervals.js';
import { levelNoiseFloor } from './level-noise-floor.js';
import { taxicabSection, topKSection, type LevelProbabilities } from './level-probabilities.js';
import { pieAccuracyOnLevel } from './pie-accuracy.js';
import { intersectionsField } from './intersections-section.js';
import { singleModelSections, type SingleModelSections } from './single-model-flips.js';
import { twoLevelModels } from './two-level-level-intervals.js';
import { finiteOrNull, meanOrNull, sampleSd } from './finite.js';
import { withFiniteNumbers } from '../schema/finite.js';
import type {
  AccuracySummary,
  AttributeOverIndexSummary,
  BaselineAccuracyOnPies,
  ConfidenceInterval,
  ClassImpactReportRow,
  ClassImpactSummary,
  LevelReport,
  ModelSummary,
  PieSummary,
  Section,
  SubgroupErrorRow,
} from '../schema/index.js';
import type { NormalizedAudit } from './validate-audit-options.js';

/** What every level's analysis shares: the config, the baseline population and its derived data. @internal */
export interface AuditContext {
  config: NormalizedAudit;
  nClasses: number;
  baselinePredictions: readonly Uint16Array[];
  /** Per-model recall of the baseline population; null without labels. */
  baselineRecall: PopulationRecall | null;
  /** Attribute values as GroupValue arrays (CelebA -1/1 kept as numbers). */
  attributes: Array<{ name: string; values: ArrayLike<GroupValue | null> }>;
  /** Per-example aggregates of the baseline population (the bootstrap's inputs). */
  baselineShares: BaselineShares;
  /** Bootstrap interval of the baseline's mean top-1. */
  baselineTop1Ci: ConfidenceInterval;
  /** The baseline's class probabilities, `null` unless `probabilities: true`. */
  baselineProbabilities: LevelProbabilities | null;
}

const notApplicable = (reason: string) => ({ status: 'not-applicable' as const, reason });
const unavailable = (reason: string) => ({ status: 'unavailable' as const, reason });
const inconclusive = (reason: string) => ({ status: 'inconclusive' as const, reason });

/** Converts user attribute arrays to GroupValue arrays (null stays null). @internal */
export function toGroupValues(values: AttributeValues): ArrayLike<GroupValue | null> {
  return values as ArrayLike<GroupValue | null>;
}

function accuracySummary(ctx: AuditContext, recall: PopulationRecall | null, intervals: LevelIntervals | null): Section<AccuracySummary> {
  if (!recall) return unavailable('no labels were given, so accuracy cannot be measured');
  const perModel = recall.accuracy;
  const mean = perModel.reduce((a, b) => a + b, 0) / perModel.length;
  const baselineMean = ctx.baselineRecall
    ? ctx.baselineRecall.accuracy.reduce((a, b) => a + b, 0) / ctx.baselineRecall.accuracy.length
    : null;
  return {
    status: 'ok',
    perModel,
    mean,
    ci: intervals ? toCi(intervals.top1?.compressed) : ctx.baselineTop1Ci,
    top1Drop: intervals && baselineMean !== null ? baselineMean - mean : null,
    top1DropCi: intervals ? toCi(intervals.top1?.drop) : null,
    sd: sampleSd(perModel),
    min: Math.min(...perModel),
    max: Math.max(...perModel),
  };
}

function countBy(values: ArrayLike<number>, mask: Uint8Array, nClasses: number): number[] {
  const out = new Array<number>(nClasses).fill(0);
  for (let i = 0; i < mask.length; i++) if (mask[i]) out[values[i]]++;
  return out;
}

function baselineAccuracyOnPies(
  ctx: AuditContext,
  found: { isPIE: Uint8Array; baselineModal: ArrayLike<number>; compressedModal: ArrayLike<number> },
  shareCorrectHere: Float64Array | null,
): Section<BaselineAccuracyOnPies> {
  const { isPIE, baselineModal } = found;
  const labels = ctx.config.labels;
  if (!labels) return unavailable('no labels were given, so accuracy on PIEs cannot be measured');
  let nPies = 0;
  for (let i = 0; i < isPIE.length; i++) nPies += isPIE[i];
  const nNonPies = isPIE.length - nPies;
  const perModelPies: number[] = [];
  const perModelRest: number[] = [];
  for (const preds of ctx.baselinePredictions) {
    let okPies = 0;
    let okRest = 0;
    for (let i = 0; i < isPIE.length; i++) {
      if (preds[i] === labels[i]) {
        if (isPIE[i]) okPies++;
        else okRest++;
      }
    }
    if (nPies > 0) perModelPies.push(okPies / nPies);
    if (nNonPies > 0) perModelRest.push(okRest / nNonPies);
  }
  let modalPies = 0;
  let modalRest = 0;
  for (let i = 0; i < isPIE.length; i++) {
    if (baselineModal[i] === labels[i]) {
      if (isPIE[i]) modalPies++;
      else modalRest++;
    }
  }
  return {
    status: 'ok',
    onPies: meanOrNull(perModelPies),
    onNonPies: meanOrNull(perModelRest),
    modalOnPies: nPies > 0 ? modalPies / nPies : null,
    modalOnNonPies: nNonPies > 0 ? modalRest / nNonPies : null,
    nPies,
    nNonPies,
    ...pieAccuracyOnLevel(
      {
        labels,
        isPIE,
        baselineModal,
        compressedModal: found.compressedModal,
        baselineShareCorrect: ctx.baselineShares.correct!,
        compressedShareCorrect: shareCorrectHere!,
      },
      ctx.config.seed,
    ),
  };
}

function classImpact(
  ctx: AuditContext,
  levelKey: string,
  compressed: PopulationRecall | null,
  classNames: string[],
  intervals: LevelIntervals,
): Section<ClassImpactSummary> {
  const base = ctx.baselineRecall;
  if (!base || !compressed) return unavailable('no labels were given, so per-class recall cannot be measured');
  const nb = base.accuracy.length;
  const nk = compressed.accuracy.length;
  if (nb < 2 || nk < 2) {
    return inconclusive(`need at least 2 models per level (baseline '${ctx.config.baseline}' has ${nb}, level '${levelKey}' has ${nk})`);
  }
  const result = classImpactTest(
    {
      baselineRecall: base.recall,
      compressedRecall: compressed.recall,
      baselineAccuracy: base.accuracy,
      compressedAccuracy: compressed.accuracy,
    },
    { alpha: ctx.config.alpha, correction: ctx.config.correction },
  );
  const rows: ClassImpactReportRow[] = result.classes.map((r) => {
    const ci = intervals.classes?.[r.classIndex];
    const raw = r.baselineMeanRecall === null || r.compressedMeanRecall === null ? null : r.compressedMeanRecall - r.baselineMeanRecall;
    return {
      ...withFiniteNumbers(r),
      className: classNames[r.classIndex],
      support: base.support[r.classIndex],
      rawRecallChange: finiteOrNull(raw),
      rawRecallChangeCi: toCi(ci?.rawChange),
      normalizedRecallChangeCi: toCi(ci?.normalizedChange),
    };
  });
  return {
    status: 'ok',
    test: 'welch',
    alpha: result.alpha,
    correction: ctx.config.correction,
    familySize: rows.filter((r) => r.status === 'ok').length,
    expectedFalsePositives: ctx.config.correction === 'none' ? rows.filter((r) => r.status === 'ok').length * result.alpha : null,
    hurtClasses: rows.filter((r) => r.direction === 'hurt').map((r) => r.classIndex),
    sparedClasses: rows.filter((r) => r.direction === 'spared').map((r) => r.classIndex),
    rows,
  };
}

function attributeRows(ctx: AuditContext, isPIE: Uint8Array, intervals: LevelIntervals): Section<AttributeOverIndexSummary> {
  if (ctx.attributes.length === 0) return unavailable('no group attributes were given (testSet.attributes)');
  // Attribute names come from data: a null-prototype record keeps `__proto__` or `constructor` ordinary keys.
  const record = Object.create(null) as Record<string, ArrayLike<GroupValue | null>>;
  for (const a of ctx.attributes) record[a.name] = a.values;
  const result = attributeOverIndex(isPIE, record, { alpha: ctx.config.alpha, correction: ctx.config.attributeCorrection });
  const familySize = result.rows.filter((r) => r.status === 'ok').length;
  return {
    status: 'ok',
    correction: ctx.config.attributeCorrection,
    familySize,
    expectedFalsePositives: ctx.config.attributeCorrection === 'none' ? familySize * ctx.config.alpha : null,
    rows: result.rows.map((r) => ({
      ...withFiniteNumbers(r),
      overIndexRatioCi: toCi(intervals.overIndex.get(valueKey(r.attribute, r.value))),
    })),
  };
}

/** Positive class for FPR/FNR, or the reason there is none. */
function positiveClassOf(ctx: AuditContext): number | string {
  if (!ctx.config.labels) return 'no labels were given, so error rates cannot be measured';
  if (ctx.config.positiveClass !== null) return ctx.config.positiveClass;
  if (ctx.nClasses === 2) return 1;
  return `the task has ${ctx.nClasses} classes; set positiveClass to measure one-vs-rest FPR/FNR`;
}

/** The baseline's per-model rates per attribute: the same for every level, so computed once per audit context. */
const baselineRatesOf = new WeakMap<AuditContext, Map<string, ReturnType<typeof perModelRates>>>();

/** Every model's rates per group (one group index for the population), and per group the FPRs and FNRs (undefined left out). */
function perModelRates(
  labels: ArrayLike<number>,
  population: readonly Uint16Array[],
  index: GroupIndex,
  positiveClass: number,
): { rates: SubgroupErrorRates[]; fpr: Map<string, number[]>; fnr: Map<string, number[]> } {
  const out = { rates: [] as SubgroupErrorRates[], fpr: new Map<string, number[]>(), fnr: new Map<string, number[]>() };
  const add = (map: Map<string, number[]>, key: string, v: number | null) => {
    if (v === null) return;
    if (!map.has(key)) map.set(key, []);
    map.get(key)!.push(v);
  };
  for (const preds of population) {
    const rates = countRates(labels, preds, index, positiveClass, 'predicted');
    out.rates.push(rates);
    for (const g of rates.subgroups) {
      add(out.fpr, String(g.group), g.fpr);
      add(out.fnr, String(g.group), g.fnr);
    }
  }
  return out;
}

function welchP(a: number[] | undefined, b: number[] | undefined): number | null {
  if (!a || !b || a.length < 2 || b.length < 2) return null;
  return finiteOrNull(welchTTest(a, b).p);
}

function subgroupRows(
  ctx: AuditContext,
  compressed: readonly Uint16Array[],
  intervals: LevelIntervals,
): Section<{ positiveClass: number; rows: SubgroupErrorRow[] }> {
  const positive = positiveClassOf(ctx);
  if (typeof positive === 'string') return unavailable(positive);
  if (ctx.attributes.length === 0) return unavailable('no group attributes were given (testSet.attributes)');
  const labels = ctx.config.labels!;
  const rows: SubgroupErrorRow[] = [];
  let baselineRates = baselineRatesOf.get(ctx);
  if (!baselineRates) {
    baselineRates = new Map();
    baselineRatesOf.set(ctx, baselineRates);
  }
  for (const attribute of ctx.attributes) {
    // Each model is counted once per level (the baseline once per audit): the comparison and the tests share the counts.
    const index = groupIndex(attribute.values, 'groups');
    let base = baselineRates.get(attribute.name);
    if (!base) {
      base = perModelRates(labels, ctx.baselinePredictions, index, positive);
      baselineRates.set(attribute.name, base);
    }
    const comp = perModelRates(labels, compressed, index, positive);
    const cmp = compareModelRates(base.rates, comp.rates, index.nMissing);
    for (const g of cmp.subgroups) {
      const key = String(g.group);
      rows.push({
        attribute: attribute.name,
        value: key,
        n: g.n,
        positives: g.positives,
        negatives: g.negatives,
        baselineFpr: finiteOrNull(g.baseline.fpr),
        compressedFpr: finiteOrNull(g.compressed.fpr),
        baselineFnr: finiteOrNull(g.baseline.fnr),
        compressedFnr: finiteOrNull(g.compressed.fnr),
        fprChange: finiteOrNull(g.absoluteChange.fpr),
        fnrChange: finiteOrNull(g.absoluteChange.fnr),
        fprPValue: welchP(comp.fpr.get(key), base.fpr.get(key)),
        fnrPValue: welchP(comp.fnr.get(key), base.fnr.get(key)),
        ...rateIntervalFields(intervals.errorRates.get(valueKey(attribute.name, key))),
      });
    }
  }
  return { status: 'ok', positiveClass: positive, rows };
}

type SubgroupIntervalFields = Omit<
  SubgroupErrorRow,
  | 'attribute'
  | 'value'
  | 'n'
  | 'positives'
  | 'negatives'
  | 'baselineFpr'
  | 'compressedFpr'
  | 'baselineFnr'
  | 'compressedFnr'
  | 'fprChange'
  | 'fnrChange'
  | 'fprPValue'
  | 'fnrPValue'
>;

/** The interval, rest-change and gap fields of a subgroup row. */
function rateIntervalFields(rates: GroupErrorRateIntervals | undefined): SubgroupIntervalFields {
  return {
    baselineFprCi: toCi(rates?.fpr.baseline),
    compressedFprCi: toCi(rates?.fpr.compressed),
    baselineFnrCi: toCi(rates?.fnr.baseline),
    compressedFnrCi: toCi(rates?.fnr.compressed),
    fprChangeCi: toCi(rates?.fpr.change),
    fnrChangeCi: toCi(rates?.fnr.change),
    restFprChange: finiteOrNull(rates?.fpr.restChange.estimate ?? null),
    restFnrChange: finiteOrNull(rates?.fnr.restChange.estimate ?? null),
    fprGap: finiteOrNull(rates?.fpr.gap.estimate ?? null),
    fnrGap: finiteOrNull(rates?.fnr.gap.estimate ?? null),
    fprGapCi: toCi(rates?.fpr.gap),
    fnrGapCi: toCi(rates?.fnr.gap),
  };
}

/**
 * Everything the report says about one level.
 * @internal
 */
export function analyseLevel(
  ctx: AuditContext,
  levelKey: string,
  outputs: { predictions: readonly Uint16Array[]; probabilities: LevelProbabilities | null },
  models: ModelSummary[],
  classNames: string[],
): LevelReport {
  const { config, nClasses } = ctx;
  const predictions = outputs.predictions;
  const topK = topKSection(config.labels, outputs.probabilities);
  const isBaseline = levelKey === config.baseline;
  const recall = config.labels ? (isBaseline ? ctx.baselineRecall : populationRecall(config.labels, predictions, nClasses)) : null;
  if (recall) recall.accuracy.forEach((a, m) => (models[m].top1 = a));
  if (isBaseline) return baselineLevelReport(ctx, levelKey, predictions, models, recall, topK);
  const found = findPIEs(ctx.baselinePredictions, predictions, { tieBreak: config.tieBreak, nClasses });
  const positive = positiveClassOf(ctx);
  const intervals = levelIntervals(
    {
      labels: config.labels,
      nClasses,
      isPIE: found.isPIE,
      predictions,
      baseline: ctx.baselineShares,
      attributes: ctx.attributes,
      positiveClass: typeof positive === 'number' && ctx.attributes.length > 0 ? positive : null,
      models: twoLevelModels(config, levelKey, ctx.baselinePredictions, predictions),
    },
    config.bootstrap,
  );
  const pick = exemplarPicker(ctx, predictions);
  // One model per level: exact paired tests of the two models replace the population tests (docs/methodology.md).
  const single =
    config.labels && ctx.baselinePredictions.length === 1 && predictions.length === 1
      ? singleModelSections(config, nClasses, classNames, ctx.baselinePredictions[0], predictions[0], intervals, (isFlip) =>
          pick(isFlip, ctx.baselinePredictions[0], predictions[0]),
        )
      : null;
  const pies: PieSummary = {
    count: found.count,
    rate: found.rate,
    rateCi: toCi(intervals.pieRate),
    permutation: levelNoiseFloor(config, levelKey, ctx.baselinePredictions, predictions, nClasses),
    byTrueClass: config.labels ? countBy(config.labels, found.isPIE, nClasses) : null,
    byBaselineModal: countBy(found.baselineModal, found.isPIE, nClasses),
  };
  const accuracy = accuracySummary(ctx, recall, intervals);
  if (single && accuracy.status === 'ok') accuracy.top1DropCi = single.flips.top1DropCi;
  const flipsWhy =
    'one model per level: an example whose prediction changed is a flip between two models, not a PIE of two populations (see flips)';
  return {
    ...levelBasics(ctx, levelKey, predictions, models, accuracy),
    pies: single ? notApplicable(flipsWhy) : { status: 'ok', ...pies },
    baselineAccuracyOnPies: single ? notApplicable(flipsWhy) : baselineAccuracyOnPies(ctx, found, intervals.shareCorrect),
    classImpact: single ? single.classImpact : classImpact(ctx, levelKey, recall, classNames, intervals),
    attributes: attributeRows(ctx, found.isPIE, intervals),
    subgroups: subgroupRows(ctx, predictions, intervals),
    exemplars: single ? [] : pick(found.isPIE, found.baselineModal, found.compressedModal),
    topK,
    taxicab: taxicabSection(ctx.baselineProbabilities, outputs.probabilities, found.isPIE, config.maxExemplars),
    ...sourceAndFlips(ctx, levelKey, predictions.length, intervals, single),
    ...intersectionsField(ctx.config, ctx.attributes, found.isPIE),
  };
}

/** The baseline level: its own accuracy; every comparison section is not applicable. */
function baselineLevelReport(
  ctx: AuditContext,
  levelKey: string,
  predictions: readonly Uint16Array[],
  models: ModelSummary[],
  recall: PopulationRecall | null,
  topK: LevelReport['topK'],
): LevelReport {
  const why = 'the baseline level is the reference the other levels are compared with';
  return {
    ...levelBasics(ctx, levelKey, predictions, models, accuracySummary(ctx, recall, null)),
    pies: notApplicable(why),
    baselineAccuracyOnPies: notApplicable(why),
    classImpact: notApplicable(why),
    attributes: notApplicable(why),
    subgroups: notApplicable(why),
    exemplars: [],
    topK,
    taxicab: notApplicable(why),
    intervals: { source: 'examples only', reason: "the baseline's own top-1 interval resamples test examples only" },
    flips: notApplicable(why),
    ...(ctx.config.intersections ? { intersections: notApplicable(why) } : {}),
  };
}

/** A PIE picker for one level: the examples flagged, described with both populations' labels. */
function exemplarPicker(ctx: AuditContext, predictions: readonly Uint16Array[]) {
  const config = ctx.config;
  return (isPIE: Uint8Array, baselineModal: ArrayLike<number>, compressedModal: ArrayLike<number>) =>
    pickExemplars({
      isPIE,
      baselineModal,
      compressedModal,
      baseline: ctx.baselinePredictions,
      compressed: predictions,
      labels: config.labels,
      inputs: config.inputs,
      inputShape: config.inputShape,
      max: config.maxExemplars,
      seed: config.seed,
      thumbnails: config.thumbnails,
    });
}

/** A compressed level's interval source and flips section. */
function sourceAndFlips(
  ctx: AuditContext,
  levelKey: string,
  nModels: number,
  intervals: LevelIntervals,
  single: SingleModelSections | null,
): Pick<LevelReport, 'intervals' | 'flips'> {
  if (single) {
    const reason =
      'one model per level: the intervals hold for these two models on other test examples (top-1 drop and class ' +
      "recall changes: Newcombe's paired score intervals beside McNemar's exact tests), not for retraining";
    return { intervals: { source: 'examples only', reason }, flips: single.flips };
  }
  const nb = ctx.baselinePredictions.length;
  const why = ctx.config.labels
    ? `level '${levelKey}' has ${nModels} model(s) and the baseline ${nb}: flips are reported for one model per level`
    : 'no labels were given, so flips cannot be tested';
  return { intervals: intervals.source, flips: notApplicable(why) };
}

type LevelBasics = Omit<
  LevelReport,
  | 'pies'
  | 'baselineAccuracyOnPies'
  | 'classImpact'
  | 'attributes'
  | 'subgroups'
  | 'exemplars'
  | 'topK'
  | 'taxicab'
  | 'intervals'
  | 'flips'
  | 'intersections'
>;

/** The fields every level has: identity, models, accuracy, sparsity, size and modal ties. */
function levelBasics(
  ctx: AuditContext,
  levelKey: string,
  predictions: readonly Uint16Array[],
  models: ModelSummary[],
  accuracy: Section<AccuracySummary>,
): LevelBasics {
  const numeric = Number(levelKey);
  const modal = modalLabels(predictions, { tieBreak: ctx.config.tieBreak, nClasses: ctx.nClasses });
  return {
    key: levelKey,
    isBaseline: levelKey === ctx.config.baseline,
    numericLevel: levelKey.trim() !== '' && Number.isFinite(numeric) ? numeric : null,
    populationSize: predictions.length,
    models,
    accuracy,
    meanSparsity: meanOrNull(models.map((m) => m.sparsity)),
    meanGzippedBytes: meanOrNull(models.map((m) => m.gzippedBytes)),
    meanStoredWeightBytes: meanOrNull(models.map((m) => m.storedWeightBytes)),
    meanStoredBytes: meanOrNull(models.map((m) => m.storedBytes ?? null)),
    modalTies: { count: modal.ties, rate: modal.ties / ctx.config.n },
  };
}
